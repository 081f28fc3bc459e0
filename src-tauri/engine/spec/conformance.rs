//! The run dialog's parsers against the test tables of the programs that define each syntax,
//! so Berth reads what people type exactly as the docker CLI and the engine do. Each table names
//! the file its vectors come from. Where Berth differs on purpose, the vector is in
//! `DELIBERATE` with its reason (and a line in the README).

use super::*;

/// `(input, Some(canonical -p text) | None when it must be refused)`.
/// docker/go-connections `nat/nat_test.go` (TestParsePortSpecFull, TestPartPortSpecIPV6,
/// TestParsePortSpecs, TestParsePortSpecsWithRange, TestParseNetworkOpts*,
/// TestParsePortSpecEmptyContainerPort, TestSplitProtoPort).
const PORTS: &[(&str, Option<&str>)] = &[
    ("0.0.0.0:1234-1235:3333-3334/tcp", Some("0.0.0.0:1234-1235:3333-3334")),
    ("[2001:4860:0:2001::68]::333", Some("[2001:4860:0:2001::68]::333")),
    ("[::1]:80:80", Some("[::1]:80:80")),
    ("2001:4860:0:2001::68::333", Some("[2001:4860:0:2001::68]::333")),
    ("::1:80:80", Some("[::1]:80:80")),
    ("::::80", Some("[::]::80")),
    ("1234/tcp", Some("1234")),
    ("2345/udp", Some("2345/udp")),
    ("3456/sctp", Some("3456/sctp")),
    ("1234:1234/tcp", Some("1234:1234")),
    ("2345:2345/udp", Some("2345:2345/udp")),
    ("3456:3456/sctp", Some("3456:3456/sctp")),
    ("0.0.0.0:1234:1234/tcp", Some("0.0.0.0:1234:1234")),
    ("0.0.0.0:2345:2345/udp", Some("0.0.0.0:2345:2345/udp")),
    ("0.0.0.0:3456:3456/sctp", Some("0.0.0.0:3456:3456/sctp")),
    ("1234-1236/tcp", Some("1234-1236")),
    ("2345-2347/udp", Some("2345-2347/udp")),
    ("3456-3458/sctp", Some("3456-3458/sctp")),
    ("1234-1236:1234-1236/tcp", Some("1234-1236:1234-1236")),
    ("2345-2347:2345-2347/udp", Some("2345-2347:2345-2347/udp")),
    ("0.0.0.0:1234-1236:1234-1236/tcp", Some("0.0.0.0:1234-1236:1234-1236")),
    ("192.168.1.100::80", Some("192.168.1.100::80")),
    ("192.168.1.100:8080:80", Some("192.168.1.100:8080:80")),
    ("192.168.1.100:8080:80/udp", Some("192.168.1.100:8080:80/udp")),
    ("192.168.1.100:8080:80/sctp", Some("192.168.1.100:8080:80/sctp")),
    ("1234", Some("1234")),
    ("1234/", Some("1234")),
    ("1234/udp", Some("1234/udp")),
    ("1234/UDP", Some("1234/udp")),
    ("80-8080", Some("80-8080")),
    ("80-8080/", Some("80-8080")),
    ("80-8080/udp", Some("80-8080/udp")),
    ("8000-8002:80", Some("8000-8002:80")),
    (":8080:80", Some("8080:80")),
    ("localhost:1234:1234/tcp", None),
    ("localhost:1234-1236:1234-1236/tcp", None),
    ("192.168.1.100", None),
    ("192.168.1.100:-1:-1", None),
    ("", None),
    ("0.0.0.0:1234-1235:/tcp", None),
    ("0.0.0.0:1234-1235:", None),
    ("/udp", None),
    ("-1", None),
    ("asdf", None),
    ("1asdf", None),
    ("65536", None),
    ("1234/icmp", None),
    ("0.0.0.0:1234-1235:3333-3335", None),
    ("90-80", None),
];

/// `(input, Some(canonical -v text) | None)`. moby `daemon/volume/mounts/linux_parser_test.go`
/// (TestLinuxParseMountRaw: its valid list, and its invalid map), and the modes
/// `linuxValidMountMode` and `validateExclusiveOptions` refuse in `linux_parser.go` and
/// `validate.go`.
const VOLUMES: &[(&str, Option<&str>)] = &[
    ("/home", Some("/home")),
    ("/home:/home", Some("/home:/home")),
    ("/home:/something/else", Some("/home:/something/else")),
    ("/with space", Some("/with space")),
    ("/home:/with space", Some("/home:/with space")),
    ("relative:/absolute-path", Some("relative:/absolute-path")),
    ("hostPath:/containerPath:ro", Some("hostPath:/containerPath:ro")),
    ("/hostPath:/containerPath:rw", Some("/hostPath:/containerPath:rw")),
    ("/rw:/ro", Some("/rw:/ro")),
    ("/hostPath:/containerPath:shared", Some("/hostPath:/containerPath:shared")),
    ("/hostPath:/containerPath:rshared", Some("/hostPath:/containerPath:rshared")),
    ("/hostPath:/containerPath:slave", Some("/hostPath:/containerPath:slave")),
    ("/hostPath:/containerPath:rslave", Some("/hostPath:/containerPath:rslave")),
    ("/hostPath:/containerPath:private", Some("/hostPath:/containerPath:private")),
    ("/hostPath:/containerPath:rprivate", Some("/hostPath:/containerPath:rprivate")),
    ("/hostPath:/containerPath:ro,shared", Some("/hostPath:/containerPath:ro,shared")),
    ("/hostPath:/containerPath:ro,slave", Some("/hostPath:/containerPath:ro,slave")),
    ("/hostPath:/containerPath:ro,private", Some("/hostPath:/containerPath:ro,private")),
    ("/hostPath:/containerPath:ro,z,shared", Some("/hostPath:/containerPath:ro,z,shared")),
    ("/hostPath:/containerPath:ro,Z,slave", Some("/hostPath:/containerPath:ro,Z,slave")),
    ("/hostPath:/containerPath:Z,ro,slave", Some("/hostPath:/containerPath:Z,ro,slave")),
    ("/hostPath:/containerPath:slave,Z,ro", Some("/hostPath:/containerPath:slave,Z,ro")),
    ("/hostPath:/containerPath:Z,slave,ro", Some("/hostPath:/containerPath:Z,slave,ro")),
    ("/hostPath:/containerPath:slave,ro,Z", Some("/hostPath:/containerPath:slave,ro,Z")),
    ("/hostPath:/containerPath:rslave,ro,Z", Some("/hostPath:/containerPath:rslave,ro,Z")),
    ("/hostPath:/containerPath:ro,rshared,Z", Some("/hostPath:/containerPath:ro,rshared,Z")),
    ("/hostPath:/containerPath:ro,Z,rprivate", Some("/hostPath:/containerPath:ro,Z,rprivate")),
    ("data:/data:nocopy", Some("data:/data:nocopy")),
    ("data:/data:ro,cached", Some("data:/data:ro,cached")),
    ("/a:/b:", Some("/a:/b")),
    ("", None),
    ("./", None),
    ("../", None),
    ("/:../", None),
    ("/:path", None),
    (":", None),
    ("/tmp:", None),
    (":test", None),
    (":/test", None),
    ("tmp:", None),
    (":test:", None),
    ("::", None),
    (":::", None),
    ("/tmp:::", None),
    (":/tmp::", None),
    ("/path:rw", None),
    ("/path:ro", None),
    ("/rw:rw", None),
    ("path:ro", None),
    ("/path:/path:sw", None),
    ("/path:/path:rwz", None),
    ("/path:/path:ro,rshared,rslave", None),
    ("/path:/path:ro,z,rshared,rslave", None),
    ("/path:shared", None),
    ("/path:slave", None),
    ("/path:private", None),
    ("name:/absolute-path:shared", None),
    ("name:/absolute-path:rshared", None),
    ("name:/absolute-path:slave", None),
    ("name:/absolute-path:rslave", None),
    ("name:/absolute-path:private", None),
    ("name:/absolute-path:rprivate", None),
    // linuxValidMountMode: one of each kind.
    ("/a:/b:z,Z", None),
    ("data:/data:cached,delegated", None),
    ("/a:/b:ro,rw", None),
    ("data:/data:nocopy,nocopy", None),
    // validateExclusiveOptions: volume options on a bind mount.
    ("/a:/b:nocopy", None),
    // linuxValidateNotRoot: a target that cleans to /.
    ("/a:/", None),
    ("data:/data/..", None),
    ("/a://", None),
    ("/a:/./", None),
];

/// `(input, Some(full name, tag, digest) | None)`: distribution/reference `reference_test.go`
/// (TestReferenceParse, whose inputs are read here the way `ParseNormalizedNamed` in
/// `normalize.go` reads them, as the CLI does) and `normalize_test.go`
/// (TestValidateReferenceName, TestParseRepositoryInfo).
#[allow(clippy::type_complexity)]
const IMAGES: &[(&str, Option<(&str, Option<&str>, Option<&str>)>)] = &[
    ("test_com", Some(("docker.io/library/test_com", None, None))),
    ("test.com:tag", Some(("docker.io/library/test.com", Some("tag"), None))),
    ("test.com:5000", Some(("docker.io/library/test.com", Some("5000"), None))),
    ("test.com/repo:tag", Some(("test.com/repo", Some("tag"), None))),
    ("test:5000/repo", Some(("test:5000/repo", None, None))),
    ("test:5000/repo:tag", Some(("test:5000/repo", Some("tag"), None))),
    (
        "test:5000/repo@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        Some((
            "test:5000/repo",
            None,
            Some("sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        )),
    ),
    (
        "test:5000/repo:tag@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        Some((
            "test:5000/repo",
            Some("tag"),
            Some("sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        )),
    ),
    ("", None),
    (":justtag", None),
    ("@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", None),
    ("repo@sha256:ffffffffffffffffffffffffffffffffff", None),
    ("validname@invaliddigest:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", None),
    (
        "validname@sha512:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        None,
    ),
    ("Uppercase:tag", None),
    ("Uppercase/lowercase:tag", Some(("Uppercase/lowercase", Some("tag"), None))),
    ("test:5000/Uppercase/lowercase:tag", None),
    ("lowercase:Uppercase", Some(("docker.io/library/lowercase", Some("Uppercase"), None))),
    ("aa/asdf$$^/aa", None),
    ("sub-dom1.foo.com/bar/baz/quux", Some(("sub-dom1.foo.com/bar/baz/quux", None, None))),
    (
        "sub-dom1.foo.com/bar/baz/quux:some-long-tag",
        Some(("sub-dom1.foo.com/bar/baz/quux", Some("some-long-tag"), None)),
    ),
    (
        "b.gcr.io/test.example.com/my-app:test.example.com",
        Some(("b.gcr.io/test.example.com/my-app", Some("test.example.com"), None)),
    ),
    ("xn--n3h.com/myimage:xn--n3h.com", Some(("xn--n3h.com/myimage", Some("xn--n3h.com"), None))),
    (
        "xn--7o8h.com/myimage:xn--7o8h.com@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        Some((
            "xn--7o8h.com/myimage",
            Some("xn--7o8h.com"),
            Some("sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        )),
    ),
    ("foo_bar.com:8080", Some(("docker.io/library/foo_bar.com", Some("8080"), None))),
    ("foo/foo_bar.com:8080", Some(("docker.io/foo/foo_bar.com", Some("8080"), None))),
    ("192.168.1.1", Some(("docker.io/library/192.168.1.1", None, None))),
    ("192.168.1.1:tag", Some(("docker.io/library/192.168.1.1", Some("tag"), None))),
    ("192.168.1.1:5000", Some(("docker.io/library/192.168.1.1", Some("5000"), None))),
    ("192.168.1.1/repo", Some(("192.168.1.1/repo", None, None))),
    ("192.168.1.1:5000/repo", Some(("192.168.1.1:5000/repo", None, None))),
    ("192.168.1.1:5000/repo:5050", Some(("192.168.1.1:5000/repo", Some("5050"), None))),
    ("[2001:db8::1]", None),
    ("[2001:db8::1]:5000", None),
    ("[2001:db8::1]:tag", None),
    ("[2001:db8::1]/repo", Some(("[2001:db8::1]/repo", None, None))),
    ("[2001:db8:1:2:3:4:5:6]/repo:tag", Some(("[2001:db8:1:2:3:4:5:6]/repo", Some("tag"), None))),
    ("[2001:db8::1]:5000/repo", Some(("[2001:db8::1]:5000/repo", None, None))),
    ("[2001:db8::1]:5000/repo:tag", Some(("[2001:db8::1]:5000/repo", Some("tag"), None))),
    ("[2001:db8::]:5000/repo", Some(("[2001:db8::]:5000/repo", None, None))),
    ("[::1]:5000/repo", Some(("[::1]:5000/repo", None, None))),
    ("[fe80::1%eth0]:5000/repo", None),
    ("[fe80::1%@invalidzone]:5000/repo", None),
    // normalize_test.go, TestValidateReferenceName.
    ("docker/docker", Some(("docker.io/docker/docker", None, None))),
    ("library/debian", Some(("docker.io/library/debian", None, None))),
    ("debian", Some(("docker.io/library/debian", None, None))),
    ("localhost/library/debian", Some(("localhost/library/debian", None, None))),
    ("localhost/debian", Some(("localhost/debian", None, None))),
    ("docker.io/docker/docker", Some(("docker.io/docker/docker", None, None))),
    ("docker.io/library/debian", Some(("docker.io/library/debian", None, None))),
    ("docker.io/debian", Some(("docker.io/library/debian", None, None))),
    ("index.docker.io/docker/docker", Some(("docker.io/docker/docker", None, None))),
    ("index.docker.io/library/debian", Some(("docker.io/library/debian", None, None))),
    ("index.docker.io/debian", Some(("docker.io/library/debian", None, None))),
    ("127.0.0.1:5000/docker/docker", Some(("127.0.0.1:5000/docker/docker", None, None))),
    ("127.0.0.1:5000/library/debian", Some(("127.0.0.1:5000/library/debian", None, None))),
    ("127.0.0.1:5000/debian", Some(("127.0.0.1:5000/debian", None, None))),
    ("192.168.0.1", Some(("docker.io/library/192.168.0.1", None, None))),
    ("192.168.0.1:80", Some(("docker.io/library/192.168.0.1", Some("80"), None))),
    ("192.168.0.1:8/debian", Some(("192.168.0.1:8/debian", None, None))),
    ("192.168.0.2:25000/debian", Some(("192.168.0.2:25000/debian", None, None))),
    ("thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", Some(("docker.io/library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", None, None))),
    ("docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", Some(("docker.io/library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", None, None))),
    ("https://github.com/docker/docker", None),
    ("docker/Docker", None),
    ("-docker", None),
    ("-docker/docker", None),
    ("-docker.io/docker/docker", None),
    ("docker:///docker/docker", None),
    ("docker.io/docker/Docker", None),
    ("docker.io/docker///docker", None),
    ("1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", None),
    // normalize_test.go, TestParseRepositoryInfo.
    ("fooo/bar", Some(("docker.io/fooo/bar", None, None))),
    ("library/ubuntu", Some(("docker.io/library/ubuntu", None, None))),
    ("nonlibrary/ubuntu", Some(("docker.io/nonlibrary/ubuntu", None, None))),
    ("ubuntu", Some(("docker.io/library/ubuntu", None, None))),
    ("other/library", Some(("docker.io/other/library", None, None))),
    ("127.0.0.1:8000/private/moonbase", Some(("127.0.0.1:8000/private/moonbase", None, None))),
    ("127.0.0.1:8000/privatebase", Some(("127.0.0.1:8000/privatebase", None, None))),
    ("example.com/private/moonbase", Some(("example.com/private/moonbase", None, None))),
    ("example.com/privatebase", Some(("example.com/privatebase", None, None))),
    ("example.com:8000/private/moonbase", Some(("example.com:8000/private/moonbase", None, None))),
    ("example.com:8000/privatebase", Some(("example.com:8000/privatebase", None, None))),
    ("localhost:8000/private/moonbase", Some(("localhost:8000/private/moonbase", None, None))),
    ("localhost:8000/privatebase", Some(("localhost:8000/privatebase", None, None))),
    ("example.com/privatebase", Some(("example.com/privatebase", None, None))),
    ("index.docker.io/library/ubuntu", Some(("docker.io/library/ubuntu", None, None))),
    ("index.docker.io/ubuntu", Some(("docker.io/library/ubuntu", None, None))),
    ("ubuntu-12.04-base", Some(("docker.io/library/ubuntu-12.04-base", None, None))),
    ("docker.io/ubuntu-12.04-base", Some(("docker.io/library/ubuntu-12.04-base", None, None))),
];

/// `(input, Some(words) | None)`: CPython `Lib/test/test_shlex.py`, `posix_data` (the words a
/// POSIX shell makes; its one vector with a `#` comment is in `DELIBERATE`).
const WORDS: &[(&str, Option<&[&str]>)] = &[
    ("x", Some(&["x"])),
    ("foo bar", Some(&["foo", "bar"])),
    (" foo bar", Some(&["foo", "bar"])),
    (" foo bar ", Some(&["foo", "bar"])),
    ("foo   bar    bla     fasel", Some(&["foo", "bar", "bla", "fasel"])),
    ("x y  z              xxxx", Some(&["x", "y", "z", "xxxx"])),
    (r"\x bar", Some(&["x", "bar"])),
    (r"\ x bar", Some(&[" x", "bar"])),
    (r"\ bar", Some(&[" bar"])),
    (r"foo \x bar", Some(&["foo", "x", "bar"])),
    (r"foo \ x bar", Some(&["foo", " x", "bar"])),
    (r"foo \ bar", Some(&["foo", " bar"])),
    (r#"foo "bar" bla"#, Some(&["foo", "bar", "bla"])),
    (r#""foo" "bar" "bla""#, Some(&["foo", "bar", "bla"])),
    (r#""foo" bar "bla""#, Some(&["foo", "bar", "bla"])),
    (r#""foo" bar bla"#, Some(&["foo", "bar", "bla"])),
    ("foo 'bar' bla", Some(&["foo", "bar", "bla"])),
    ("'foo' 'bar' 'bla'", Some(&["foo", "bar", "bla"])),
    ("'foo' bar 'bla'", Some(&["foo", "bar", "bla"])),
    ("'foo' bar bla", Some(&["foo", "bar", "bla"])),
    (r#"blurb foo"bar"bar"fasel" baz"#, Some(&["blurb", "foobarbarfasel", "baz"])),
    ("blurb foo'bar'bar'fasel' baz", Some(&["blurb", "foobarbarfasel", "baz"])),
    (r#""""#, Some(&[""])),
    ("''", Some(&[""])),
    (r#"foo "" bar"#, Some(&["foo", "", "bar"])),
    ("foo '' bar", Some(&["foo", "", "bar"])),
    (r#"foo "" "" "" bar"#, Some(&["foo", "", "", "", "bar"])),
    ("foo '' '' '' bar", Some(&["foo", "", "", "", "bar"])),
    (r#"\""#, Some(&["\""])),
    (r#""\"""#, Some(&["\""])),
    (r#""foo\ bar""#, Some(&[r"foo\ bar"])),
    (r#""foo\\ bar""#, Some(&[r"foo\ bar"])),
    (r#""foo\\ bar\"""#, Some(&[r#"foo\ bar""#])),
    (r#""foo\\" bar\""#, Some(&[r"foo\", "bar\""])),
    (r#""foo\\ bar\" dfadf""#, Some(&[r#"foo\ bar" dfadf"#])),
    (r#""foo\\\ bar\" dfadf""#, Some(&[r#"foo\\ bar" dfadf"#])),
    (r#""foo\\\x bar\" dfadf""#, Some(&[r#"foo\\x bar" dfadf"#])),
    (r#""foo\x bar\" dfadf""#, Some(&[r#"foo\x bar" dfadf"#])),
    (r"\'", Some(&["'"])),
    (r"'foo\ bar'", Some(&[r"foo\ bar"])),
    (r"'foo\\ bar'", Some(&[r"foo\\ bar"])),
    (r#""foo\\\x bar\" df'a\ 'df""#, Some(&[r#"foo\\x bar" df'a\ 'df"#])),
    (r#"\"foo"#, Some(&["\"foo"])),
    (r#"\"foo\x"#, Some(&["\"foox"])),
    (r#""foo\x""#, Some(&[r"foo\x"])),
    (r#""foo\ ""#, Some(&[r"foo\ "])),
    (r"foo\ xx", Some(&["foo xx"])),
    (r"foo\ x\x", Some(&["foo xx"])),
    (r#"foo\ x\x\""#, Some(&["foo xx\""])),
    (r#""foo\ x\x""#, Some(&[r"foo\ x\x"])),
    (r#""foo\ x\x\\""#, Some(&[r"foo\ x\x\"])),
    (r#""foo\ x\x\\""foobar""#, Some(&[r"foo\ x\x\foobar"])),
    (r#""foo\ x\x\\"\'"foobar""#, Some(&[r"foo\ x\x\'foobar"])),
    (r#""foo\ x\x\\"\'"fo'obar""#, Some(&[r"foo\ x\x\'fo'obar"])),
    (r#""foo\ x\x\\"\'"fo'obar" 'don'\''t'"#, Some(&[r"foo\ x\x\'fo'obar", "don't"])),
    (r#""foo\ x\x\\"\'"fo'obar" 'don'\''t' \\"#, Some(&[r"foo\ x\x\'fo'obar", "don't", "\\"])),
    (r"foo\ bar", Some(&["foo bar"])),
    (":-) ;-)", Some(&[":-)", ";-)"])),
    ("áéíóú", Some(&["áéíóú"])),
    // Not in the table, but what POSIX sh does: an unclosed quote is an error, and only space,
    // tab and newline separate words.
    ("'open", None),
    ("\"open", None),
    ("a\u{a0}b c", Some(&["a\u{a0}b", "c"])),
    ("a\tb\nc", Some(&["a", "b", "c"])),
];

/// `-e` rows: `(input, Some((name, value)) | None)`. docker/cli `opts/env_test.go`
/// (TestValidateEnv: the value is kept exactly; an empty name is refused).
const ENV_ROWS: &[(&str, Option<(&str, &str)>)] = &[
    ("_=a", Some(("_", "a"))),
    ("env1=value1", Some(("env1", "value1"))),
    ("_env1=value1", Some(("_env1", "value1"))),
    ("env2=value2=value3", Some(("env2", "value2=value3"))),
    ("env3=abc!qwe", Some(("env3", "abc!qwe"))),
    ("env_4=value 4", Some(("env_4", "value 4"))),
    ("PATH=", Some(("PATH", ""))),
    ("PATH=something", Some(("PATH", "something"))),
    ("=a", None),
    ("=", None),
    // The values the CLI keeps and a .env reading would change.
    ("MSG=Hello #1", Some(("MSG", "Hello #1"))),
    ("label=    value", Some(("label", "    value"))),
    ("Q=\"quoted\"", Some(("Q", "\"quoted\""))),
    ("S='single'", Some(("S", "'single'"))),
    ("T=trailing  ", Some(("T", "trailing  "))),
    ("export=x", Some(("export", "x"))),
];

/// `-l` rows: docker/cli `opts/opts_test.go` (TestValidateLabel).
const LABEL_ROWS: &[(&str, Option<(&str, &str)>)] = &[
    ("", None),
    (" ", None),
    (" = ", None),
    ("    label=value", Some(("label", "value"))),
    ("this is a label without value", None),
    ("this is a label=value", None),
    ("label=a value that has whitespace", Some(("label", "a value that has whitespace"))),
    ("label=value      ", Some(("label", "value      "))),
    ("label=    value", Some(("label", "    value"))),
    ("label", Some(("label", ""))),
    ("=label", None),
    ("label=", Some(("label", ""))),
];

/// `--restart`: docker/cli `opts/parse.go` (ParseRestartPolicy) and the engine's check
/// (moby `daemon/container.go`, validateRestartPolicy).
const RESTART: &[(&str, bool)] = &[
    ("", true),
    ("no", true),
    ("always", true),
    ("unless-stopped", true),
    ("on-failure", true),
    ("on-failure:0", true),
    ("on-failure:3", true),
    (":3", false),
    ("on-failure:x", false),
    ("on-failure:-1", false),
    ("always:3", false),
    ("sometimes", false),
];

/// Where Berth differs from the CLI on purpose: `(what, input, what Berth does)`. Each has a
/// line in the README.
const DELIBERATE: &[(&str, &str, Option<&str>)] = &[
    // Port 0 and signed numbers: the CLI's strconv.ParseInt takes them; the engine then picks
    // a random port for 0. Berth asks for the container port alone instead.
    ("port", "0:80", None),
    ("port", "+80", None),
    // A row's surrounding spaces are not part of a port.
    ("port", " 8080:80 ", Some("8080:80")),
    // `-e KEY` copies KEY from the CLI's own environment; Berth has none to offer.
    ("env", "KEY", None),
    // A name with spaces is taken by the CLI (and the engine) but no shell can read it.
    ("env", "some space=1", None),
    // `#` starts a comment in sh at a word's start; the Command field has no comments.
    ("words", "foo#bar\nbaz", Some("foo#bar|baz")),
];

#[test]
fn ports_read_as_go_connections_reads_them() {
    for (input, want) in PORTS {
        let got = parse_port(input).map(|p| p.to_flag());
        match want {
            Some(flag) => assert_eq!(got.as_deref(), Ok(*flag), "{input:?}"),
            None => assert!(got.is_err(), "{input:?} must be refused, read as {got:?}"),
        }
    }
}

#[test]
fn volumes_read_as_the_engine_reads_them() {
    for (input, want) in VOLUMES {
        let got = parse_volume(input).map(|v| v.to_flag());
        match want {
            Some(flag) => assert_eq!(got.as_deref(), Ok(*flag), "{input:?}"),
            None => assert!(got.is_err(), "{input:?} must be refused, read as {got:?}"),
        }
    }
}

#[test]
fn image_references_read_as_distribution_reads_them() {
    for (input, want) in IMAGES {
        let got = ImageRef::parse(input);
        match (want, &got) {
            (Some((name, tag, digest)), Ok(r)) => {
                assert_eq!(
                    (r.name().as_str(), r.tag.as_deref(), r.digest.as_deref()),
                    (*name, *tag, *digest),
                    "{input:?}"
                );
            }
            (Some(_), Err(e)) => panic!("{input:?} must be read, got {e}"),
            (None, Ok(r)) => panic!("{input:?} must be refused, read as {r:?}"),
            (None, Err(_)) => {}
        }
    }
    // The longest repository path the engine allows, and one more.
    let long = |n: usize| format!("example.com/{}:tag", "a".repeat(n));
    assert!(ImageRef::parse(&long(255)).is_ok());
    assert!(ImageRef::parse(&long(256)).is_err());
    assert!(ImageRef::parse(&format!("domain/{}:tag", "a".repeat(256))).is_err());
    assert!(ImageRef::parse(&format!("{}a:tag-puts-this-over-max", "a/".repeat(127))).is_ok());
}

#[test]
fn words_split_as_a_posix_shell_splits_them() {
    for (input, want) in WORDS {
        let got = split_words(input);
        match want {
            Some(words) => {
                let want: Vec<String> = words.iter().map(|w| w.to_string()).collect();
                assert_eq!(got, Ok(want), "{input:?}")
            }
            None => assert!(got.is_err(), "{input:?} must be refused, read as {got:?}"),
        }
    }
}

#[test]
fn env_and_label_rows_keep_their_values_as_the_cli_does() {
    for (input, want) in ENV_ROWS {
        let got = parse_env_row(input);
        match want {
            Some((k, v)) => {
                assert_eq!(got, Ok((k.to_string(), v.to_string())), "{input:?}")
            }
            None => assert!(got.is_err(), "{input:?} must be refused, read as {got:?}"),
        }
    }
    for (input, want) in LABEL_ROWS {
        let got = parse_label_row(input);
        match want {
            Some((k, v)) => {
                assert_eq!(got, Ok((k.to_string(), v.to_string())), "{input:?}")
            }
            None => assert!(got.is_err(), "{input:?} must be refused, read as {got:?}"),
        }
    }
}

#[test]
fn restart_policies_read_as_the_engine_checks_them() {
    for (input, ok) in RESTART {
        assert_eq!(parse_restart(input).is_ok(), *ok, "{input:?}");
    }
}

#[test]
fn deliberate_differences_hold() {
    for (what, input, want) in DELIBERATE {
        let got: Result<String, Invalid> = match *what {
            "port" => parse_port(input).map(|p| p.to_flag()),
            "env" => parse_env_row(input).map(|(k, v)| format!("{k}={v}")),
            "words" => split_words(input).map(|w| w.join("|")),
            _ => unreachable!(),
        };
        match want {
            Some(w) => assert_eq!(got.as_deref(), Ok(*w), "{what} {input:?}"),
            None => assert!(got.is_err(), "{what} {input:?}: {got:?}"),
        }
    }
}

#[test]
fn a_pasted_env_block_follows_env_file_rules_and_loses_its_byte_order_mark() {
    let block = "\u{feff}A=1\n# note\nexport B = \"two\\nlines\"\nC='x # y'\nD=plain # comment\n";
    assert_eq!(
        parse_env_block(block).unwrap(),
        vec!["A=1", "B=two\nlines", "C=x # y", "D=plain"],
        "the first key is A, not \\u{{feff}}A"
    );
}
