//! Where the ledger is (SPEC §2): `--ledger`, `SUPPORTCTL_LEDGER`, the nearest
//! folder upwards holding `supportctl.toml`, the per-user data folder.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::read::SETTINGS_FILE;

/// The per-user data folder of the platform (from `directories`).
pub fn user_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "supportctl").map(|d| d.data_dir().to_path_buf())
}

/// The per-user config file (`config.toml` in the platform's config folder).
pub fn user_config_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "supportctl").map(|d| d.config_dir().join("config.toml"))
}

fn is_ledger(dir: &Path) -> bool {
    dir.join(SETTINGS_FILE).is_file()
}

/// Finds the ledger root; `env` is the value of `SUPPORTCTL_LEDGER`.
pub fn find(flag: Option<&Path>, env: Option<&Path>, cwd: &Path) -> Result<PathBuf> {
    if let Some(dir) = flag {
        if !is_ledger(dir) {
            bail!(
                "{} is not a ledger: it has no {SETTINGS_FILE} (create one with `supportctl init {}`)",
                dir.display(),
                dir.display()
            );
        }
        return Ok(dir.to_path_buf());
    }
    if let Some(dir) = env.filter(|d| !d.as_os_str().is_empty()) {
        if !is_ledger(dir) {
            bail!(
                "SUPPORTCTL_LEDGER={} is not a ledger: it has no {SETTINGS_FILE} (create one with `supportctl init {}`)",
                dir.display(),
                dir.display()
            );
        }
        return Ok(dir.to_path_buf());
    }
    if let Some(dir) = cwd.ancestors().find(|d| is_ledger(d)) {
        return Ok(dir.to_path_buf());
    }
    let data = user_data_dir();
    if let Some(dir) = data.as_deref().filter(|d| is_ledger(d)) {
        return Ok(dir.to_path_buf());
    }
    bail!(
        "no ledger found: looked at --ledger, $SUPPORTCTL_LEDGER, {} and its parent folders{}; create one with `supportctl init` (or pass --ledger DIR)",
        cwd.display(),
        data.map(|d| format!(" and {}", d.display())).unwrap_or_default()
    )
}
