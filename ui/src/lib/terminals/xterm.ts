// xterm.js and its stylesheet, loaded only when the first terminal opens: the list views start
// without it.
import "@xterm/xterm/css/xterm.css";
export { Terminal } from "@xterm/xterm";
export { FitAddon } from "@xterm/addon-fit";
