//! Settings in the real app: a damaged file is reported and kept beside, a change is saved at
//! once, and the next start uses it.

use crate::harness::App;

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_file_is_reported_and_a_saved_theme_survives_a_restart() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("app.berth.desktop");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("settings.json"), "{ damaged").unwrap();
    let env = [("XDG_CONFIG_HOME", home.path().to_str().unwrap())];

    let app = App::launch(&env).await;
    app.by_role_containing("alert", "settings file was damaged").await;
    assert_eq!(std::fs::read_to_string(dir.join("settings.json.corrupt")).unwrap(), "{ damaged");
    app.by_role("button", "Settings").await.click().await.unwrap();
    app.by_role("radio", "Dark").await.click().await.unwrap();
    app.wait_for("the theme to be saved", || async {
        let text = std::fs::read_to_string(dir.join("settings.json")).ok()?;
        text.contains("\"Dark\"").then_some(())
    })
    .await;
    let login = home.path().join("autostart/app.berth.desktop.desktop");
    app.by_role("checkbox", "Start Berth at login, in the tray").await.click().await.unwrap();
    app.wait_for("the autostart entry", || async { std::fs::read_to_string(&login).ok() }).await;
    let check = std::process::Command::new("desktop-file-validate")
        .arg(&login)
        .output()
        .expect("desktop-file-validate (Debian package desktop-file-utils) is needed");
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success() && said.trim().is_empty(), "the login entry: {said}");
    app.by_role("checkbox", "Start Berth at login, in the tray").await.click().await.unwrap();
    app.wait_for("the autostart entry to go", || async { (!login.exists()).then_some(()) }).await;
    app.quit().await;

    let app = App::launch(&env).await;
    app.wait_for("the dark theme", || async {
        let theme = app
            .client
            .execute("return document.documentElement.dataset.theme;", vec![])
            .await
            .ok()?;
        (theme == "dark").then_some(())
    })
    .await;
    // The saved file is sound: nothing is reported or set aside this time.
    app.wait_connected().await;
    assert!(app.query("alert", "settings file was damaged", true).await.is_empty());
    assert!(!dir.join("settings.json.corrupt.2").exists());
    app.quit().await;
}
