//! The folders the client opened, and the one question the server asks of them: may a code action propose
//! to create this file?
//!
//! The server never writes a file itself; it proposes edits that the editor applies. Even so, an edit that
//! creates a file must stay inside the workspace the user opened. A proposed file is therefore allowed only
//! when
//! - its name is one plain path component (no separator, no `..`), joined to the folder of the document
//!   it belongs to;
//! - that folder, as written and with every symbolic link resolved, is inside a workspace folder (as given
//!   and resolved the same way): a link out of the workspace does not count as inside;
//! - nothing exists at the path yet, not even a dangling symbolic link, which a client's create would
//!   follow.
//!
//! Without a workspace folder (`rootUri` null and no `workspaceFolders`) nothing may be created.
//! Configuration never takes part: no setting names a path the server writes to.

use std::path::{Component, Path, PathBuf};

use bulkhead_analysis::is_plain_file_name;
use tower_lsp_server::ls_types::{InitializeParams, Uri, WorkspaceFolder};

use crate::documents::file_path;

/// One workspace folder: the path as the client gave it and with links resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Root {
    uri: Uri,
    given: PathBuf,
    resolved: PathBuf,
}

/// The client's workspace folders.
#[derive(Clone, Debug, Default)]
pub struct WorkspaceRoots {
    roots: Vec<Root>,
}

impl WorkspaceRoots {
    /// The folders of `initialize`: `workspaceFolders`, else `rootUri`.
    pub fn from_initialize(params: &InitializeParams) -> Self {
        let mut res = Self::default();
        match &params.workspace_folders {
            Some(folders) if !folders.is_empty() => {
                for folder in folders {
                    res.add(&folder.uri);
                }
            }
            _ => {
                // Clients that do not speak workspace folders (and some that do, with none open) send only
                // `rootUri`, deprecated in favour of `workspaceFolders` but still the common case.
                #[allow(deprecated)]
                if let Some(uri) = &params.root_uri {
                    res.add(uri);
                }
            }
        }
        res
    }

    /// `workspace/didChangeWorkspaceFolders`.
    pub fn change(&mut self, added: &[WorkspaceFolder], removed: &[WorkspaceFolder]) {
        self.roots.retain(|root| !removed.iter().any(|folder| folder.uri == root.uri));
        for folder in added {
            self.add(&folder.uri);
        }
    }

    /// Adds a folder; one that is not a local, existing directory is ignored.
    fn add(&mut self, uri: &Uri) {
        let Some(given) = file_path(uri).filter(|path| is_plain_absolute(path)) else { return };
        let Ok(resolved) = std::fs::canonicalize(&given) else { return };
        if resolved.is_dir() && !self.roots.iter().any(|root| root.uri == *uri) {
            self.roots.push(Root { uri: uri.clone(), given, resolved });
        }
    }

    /// Where a new file `name` beside the document `document` may be created, if it may (see the module
    /// documentation). Reads the file system (link resolution, existence), nothing else.
    pub fn new_file_path(&self, document: &Uri, name: &str) -> Option<PathBuf> {
        if !is_plain_file_name(name) {
            return None;
        }
        let document = file_path(document).filter(|path| is_plain_absolute(path))?;
        let dir = document.parent()?;
        let resolved = std::fs::canonicalize(dir).ok()?;
        let inside = self.roots.iter().any(|root| dir.starts_with(&root.given) && resolved.starts_with(&root.resolved));
        if !inside {
            return None;
        }
        let target = dir.join(name);
        // `symlink_metadata` does not follow a link: a dangling link counts as existing.
        if std::fs::symlink_metadata(&target).is_ok() {
            return None;
        }
        Some(target)
    }
}

/// An absolute path without `.` or `..` components: a `..` after a link leaves the folder the text names.
fn is_plain_absolute(path: &Path) -> bool {
    path.is_absolute()
        && path.components().all(|c| matches!(c, Component::RootDir | Component::Prefix(_) | Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn uri(path: &Path) -> Uri {
        Uri::from_file_path(path).unwrap()
    }

    #[test]
    fn new_files_stay_inside_the_workspace() {
        let tmp = tempfile::tempdir().unwrap();
        let tmp = std::fs::canonicalize(tmp.path()).unwrap();
        let (ws, outside) = (tmp.join("ws"), tmp.join("outside"));
        std::fs::create_dir_all(ws.join("app")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, ws.join("escape")).unwrap();
        std::os::unix::fs::symlink(outside.join("nothing"), ws.join("app/dangling")).unwrap();
        std::fs::write(ws.join("app/existing"), "x").unwrap();
        let mut roots = WorkspaceRoots::default();
        assert_eq!(roots.new_file_path(&uri(&ws.join("app/Dockerfile")), ".dockerignore"), None, "no root");
        roots.add(&uri(&ws));

        let doc = uri(&ws.join("app/Dockerfile"));
        assert_eq!(roots.new_file_path(&doc, ".dockerignore"), Some(ws.join("app/.dockerignore")));
        for name in ["../.dockerignore", "/etc/passwd", "a/b", "..", "existing", "dangling"] {
            assert_eq!(roots.new_file_path(&doc, name), None, "{name}");
        }
        // A folder linked out of the workspace, a document outside it, a path with `..` in it.
        assert_eq!(roots.new_file_path(&uri(&ws.join("escape/Dockerfile")), ".dockerignore"), None);
        assert_eq!(roots.new_file_path(&uri(&outside.join("Dockerfile")), ".dockerignore"), None);
        let dotted = Uri::from_str(&format!("file://{}/app/../../outside/Dockerfile", ws.display())).unwrap();
        assert_eq!(roots.new_file_path(&dotted, ".dockerignore"), None);
        let remote = Uri::from_str("untitled:Dockerfile").unwrap();
        assert_eq!(roots.new_file_path(&remote, ".dockerignore"), None);

        // Folders come and go with `didChangeWorkspaceFolders`.
        let folder = WorkspaceFolder { uri: uri(&ws), name: "ws".to_owned() };
        roots.change(&[], std::slice::from_ref(&folder));
        assert_eq!(roots.new_file_path(&doc, ".dockerignore"), None);
        roots.change(&[folder], &[]);
        assert_eq!(roots.new_file_path(&doc, ".dockerignore"), Some(ws.join("app/.dockerignore")));
    }
}
