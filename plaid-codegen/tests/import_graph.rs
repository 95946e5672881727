//! The module import graph of the workspace's crates, and the rules it keeps:
//! no two modules import each other (directly or round a longer circle), and
//! where a crate is built in layers, no module imports from a layer above its
//! own.
//!
//! The graph is read from the sources: every `use crate::…`, `use super::…`
//! and `use self::…` statement (groups `{a, b::c}` expanded) and every
//! `crate::…` / `super::…` path written inline in code, resolved to the
//! longest module that exists. A module's own ancestors and descendants are
//! not counted: a folder module re-exporting its parts, and the parts using
//! what their folder shares, is one concept, not a circle. Files under
//! `src/bin/` are crates of their own and are skipped.
//!
//! One checker for every crate: a crate's rule is one test below.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A module's path inside its crate, segments joined by `::`; `""` is the
/// crate root.
type ModulePath = String;

/// One import: where it is written and which module it names.
#[derive(Debug, Clone)]
struct Import {
    from: ModulePath,
    to: ModulePath,
    file: PathBuf,
    line: usize,
}

/// A crate's modules (path → file) and the imports between them.
#[derive(Debug)]
struct Graph {
    modules: BTreeMap<ModulePath, PathBuf>,
    imports: Vec<Import>,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("plaid-codegen sits in the workspace")
        .to_owned()
}

/// The module path of a source file, from its place under `src`.
fn module_of(src: &Path, file: &Path) -> ModulePath {
    let relative = file.strip_prefix(src).expect("file is under src");
    let mut segments: Vec<String> = relative
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let last = segments.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "lib" | "main" | "mod") {
        segments.push(stem.to_owned());
    }
    segments.join("::")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "bin")
                && path.parent().is_some_and(|p| p.ends_with("src"))
            {
                continue;
            }
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a line, without a trailing `//` comment (a `//` inside a
/// string literal, such as a URL, is kept).
fn code_of(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// Expands a `use` tree (`a::{b, c::{d, self}}`) into whole paths.
fn expand_tree(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    if tree.is_empty() {
        return;
    }
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(tree).trim();
        let whole = match (prefix.is_empty(), path) {
            (_, "self") => prefix.to_owned(),
            (true, _) => path.to_owned(),
            (false, _) => format!("{prefix}::{path}"),
        };
        out.push(whole);
        return;
    };
    let head = tree[..open].trim().trim_end_matches("::");
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let prefix = match (prefix.is_empty(), head.is_empty()) {
        (_, true) => prefix.to_owned(),
        (true, false) => head.to_owned(),
        (false, false) => format!("{prefix}::{head}"),
    };
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand_tree(&prefix, &inner[start..i], out);
                start = i + 1;
            }
            _ => {}
        }
    }
    expand_tree(&prefix, &inner[start..], out);
}

/// Every `crate::`, `super::` or `self::` path written inline in `code`.
fn inline_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(start) {
            let at = from + at;
            from = at + start.len();
            let boundary = at == 0
                || !(bytes[at - 1].is_ascii_alphanumeric()
                    || bytes[at - 1] == b'_'
                    || bytes[at - 1] == b':');
            if !boundary {
                continue;
            }
            let end = code[at..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .map_or(code.len(), |e| at + e);
            out.push(code[at..end].trim_end_matches(':').to_owned());
        }
    }
    out
}

/// `path` (as written in module `here`) as segments from the crate root.
fn absolute(here: &str, path: &str) -> Vec<String> {
    let mut base: Vec<String> = if here.is_empty() {
        Vec::new()
    } else {
        here.split("::").map(str::to_owned).collect()
    };
    let mut segments = path.split("::").filter(|s| !s.is_empty()).peekable();
    match segments.peek().copied() {
        Some("crate") => {
            base.clear();
            segments.next();
        }
        Some("self") => {
            segments.next();
        }
        Some("super") => {
            while segments.peek() == Some(&"super") {
                segments.next();
                base.pop();
            }
        }
        _ => return Vec::new(),
    }
    base.extend(segments.map(str::to_owned));
    base
}

fn is_within(inner: &str, outer: &str) -> bool {
    outer.is_empty() || inner == outer || inner.starts_with(&format!("{outer}::"))
}

impl Graph {
    /// Reads the crate whose `src` folder is `crate_dir/src`.
    fn read(crate_dir: &str) -> Self {
        let src = workspace().join(crate_dir).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let modules: BTreeMap<ModulePath, PathBuf> = files
            .iter()
            .map(|f| (module_of(&src, f), f.clone()))
            .collect();
        let mut imports = Vec::new();
        for (module, file) in &modules {
            let text = std::fs::read_to_string(file).expect("source file");
            let mut statement: Option<(usize, String)> = None;
            for (number, line) in text.lines().enumerate() {
                let code = code_of(line);
                let trimmed = code.trim_start();
                let mut paths = Vec::new();
                if statement.is_none() {
                    let rest = trimmed
                        .strip_prefix("pub ")
                        .or_else(|| trimmed.strip_prefix("pub(crate) "))
                        .or_else(|| trimmed.strip_prefix("pub(super) "))
                        .unwrap_or(trimmed);
                    if let Some(tree) = rest.strip_prefix("use ") {
                        statement = Some((number + 1, String::from(tree)));
                    } else {
                        paths = inline_paths(code);
                    }
                } else if let Some((_, text)) = statement.as_mut() {
                    text.push_str(trimmed);
                }
                if let Some((first, text)) = statement.take() {
                    if let Some(end) = text.find(';') {
                        let mut expanded = Vec::new();
                        expand_tree("", &text[..end], &mut expanded);
                        paths.extend(expanded);
                        paths.extend(inline_paths(&text[end..]));
                        for path in &paths {
                            push_import(&modules, module, file, first, path, &mut imports);
                        }
                        continue;
                    }
                    statement = Some((first, text));
                }
                for path in &paths {
                    push_import(&modules, module, file, number + 1, path, &mut imports);
                }
            }
        }
        Graph { modules, imports }
    }

    /// Circles of modules that import each other, each with the imports
    /// that make it (Tarjan's strongly connected components).
    fn cycles(&self) -> Vec<Vec<ModulePath>> {
        let names: Vec<&ModulePath> = self.modules.keys().collect();
        let index: BTreeMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let mut edges = vec![BTreeSet::new(); names.len()];
        for import in &self.imports {
            edges[index[import.from.as_str()]].insert(index[import.to.as_str()]);
        }
        struct Tarjan<'a> {
            edges: &'a [BTreeSet<usize>],
            next: usize,
            order: Vec<Option<usize>>,
            low: Vec<usize>,
            stack: Vec<usize>,
            on_stack: Vec<bool>,
            found: Vec<Vec<usize>>,
        }
        impl Tarjan<'_> {
            fn visit(&mut self, v: usize) {
                self.order[v] = Some(self.next);
                self.low[v] = self.next;
                self.next += 1;
                self.stack.push(v);
                self.on_stack[v] = true;
                for &w in &self.edges[v].clone() {
                    match self.order[w] {
                        None => {
                            self.visit(w);
                            self.low[v] = self.low[v].min(self.low[w]);
                        }
                        Some(order) if self.on_stack[w] => self.low[v] = self.low[v].min(order),
                        Some(_) => {}
                    }
                }
                if Some(self.low[v]) == self.order[v] {
                    let mut component = Vec::new();
                    while let Some(w) = self.stack.pop() {
                        self.on_stack[w] = false;
                        component.push(w);
                        if w == v {
                            break;
                        }
                    }
                    if component.len() > 1 {
                        self.found.push(component);
                    }
                }
            }
        }
        let n = names.len();
        let mut tarjan = Tarjan {
            edges: &edges,
            next: 0,
            order: vec![None; n],
            low: vec![0; n],
            stack: Vec::new(),
            on_stack: vec![false; n],
            found: Vec::new(),
        };
        for v in 0..n {
            if tarjan.order[v].is_none() {
                tarjan.visit(v);
            }
        }
        tarjan
            .found
            .into_iter()
            .map(|c| {
                let mut c: Vec<ModulePath> = c.into_iter().map(|i| names[i].clone()).collect();
                c.sort();
                c
            })
            .collect()
    }

    /// Fails with every circle and the imports inside it.
    fn assert_no_cycles(&self, crate_dir: &str) {
        let cycles = self.cycles();
        if cycles.is_empty() {
            return;
        }
        let mut report = format!("{crate_dir}: {} import circle(s)\n", cycles.len());
        for cycle in &cycles {
            let members: BTreeSet<&str> = cycle.iter().map(String::as_str).collect();
            let _ = writeln!(
                report,
                "circle of {} modules: {}",
                cycle.len(),
                cycle.join(", ")
            );
            for import in self
                .imports
                .iter()
                .filter(|i| members.contains(i.from.as_str()) && members.contains(i.to.as_str()))
            {
                let _ = writeln!(
                    report,
                    "  {} -> {}   ({}:{})",
                    import.from,
                    import.to,
                    import
                        .file
                        .strip_prefix(workspace())
                        .unwrap_or(&import.file)
                        .display(),
                    import.line
                );
            }
        }
        panic!("{report}");
    }

    /// Fails where a module imports from a layer above its own. `layers`
    /// runs from the bottom up; each lists the module paths (and so their
    /// descendants) it holds. Every module must be in a layer.
    fn assert_layers(&self, crate_dir: &str, layers: &[(&str, &[&str])]) {
        let layer_of = |module: &str| -> Option<usize> {
            layers
                .iter()
                .enumerate()
                .flat_map(|(rank, (_, prefixes))| prefixes.iter().map(move |p| (rank, *p)))
                .filter(|(_, prefix)| is_within(module, prefix))
                .max_by_key(|(_, prefix)| prefix.len())
                .map(|(rank, _)| rank)
        };
        let mut report = String::new();
        for module in self.modules.keys() {
            if layer_of(module).is_none() {
                let _ = writeln!(report, "module `{module}` is in no layer");
            }
        }
        for import in &self.imports {
            let (Some(from), Some(to)) = (layer_of(&import.from), layer_of(&import.to)) else {
                continue;
            };
            if to > from {
                let _ = writeln!(
                    report,
                    "{} ({}) imports {} ({}), a layer above   ({}:{})",
                    import.from,
                    layers[from].0,
                    import.to,
                    layers[to].0,
                    import
                        .file
                        .strip_prefix(workspace())
                        .unwrap_or(&import.file)
                        .display(),
                    import.line
                );
            }
        }
        assert!(
            report.is_empty(),
            "{crate_dir}: layer rule broken\n{report}"
        );
    }
}

/// Records `path` (written in `module`) as an import of the longest module
/// it names, unless that is `module` itself, an ancestor or a descendant.
fn push_import(
    modules: &BTreeMap<ModulePath, PathBuf>,
    module: &str,
    file: &Path,
    line: usize,
    path: &str,
    imports: &mut Vec<Import>,
) {
    let segments = absolute(module, path);
    let target = (0..=segments.len())
        .rev()
        .map(|n| segments[..n].join("::"))
        .find(|candidate| modules.contains_key(candidate));
    let Some(target) = target else { return };
    if is_within(&target, module) || is_within(module, &target) {
        return;
    }
    imports.push(Import {
        from: module.to_owned(),
        to: target,
        file: file.to_owned(),
        line,
    });
}

#[test]
fn the_checker_reads_use_trees_and_inline_paths() {
    let mut out = Vec::new();
    expand_tree("", "crate::{a::{self, B}, c::D as E}", &mut out);
    assert_eq!(out, ["crate::a", "crate::a::B", "crate::c::D"]);
    assert_eq!(
        inline_paths(code_of(
            "let x: Vec<crate::products::T> = super::items::f(); // crate::nope"
        )),
        ["crate::products::T", "super::items::f"]
    );
    assert_eq!(
        code_of(r#"let u = "http://x"; // crate::a"#),
        r#"let u = "http://x"; "#
    );
    assert_eq!(absolute("a::b", "super::c::D"), ["a", "c", "D"]);
    assert_eq!(absolute("a::b", "crate::e"), ["e"]);
    assert!(absolute("a", "std::fmt").is_empty());
}

#[test]
fn the_checker_finds_a_circle() {
    let modules: BTreeMap<ModulePath, PathBuf> = ["", "a", "b", "c", "c::d"]
        .iter()
        .map(|m| (m.to_string(), PathBuf::from(format!("{m}.rs"))))
        .collect();
    let mut imports = Vec::new();
    for (from, path) in [
        ("a", "crate::b::X"),
        ("b", "crate::a::Y"),
        ("c", "self::d::Z"),
        ("c::d", "super::W"),
    ] {
        push_import(&modules, from, Path::new("x.rs"), 1, path, &mut imports);
    }
    let graph = Graph { modules, imports };
    // `c` and its child `c::d` use each other: one concept, not a circle.
    assert_eq!(graph.cycles(), vec![vec!["a".to_owned(), "b".to_owned()]]);
}

/// plaid-mock, bottom up: the kernel (clock, ids, errors, journal, webhook
/// signing, the spec's tables); the sandbox (institutions, items, accounts,
/// transactions, users, tokens, and the store and events through which
/// products keep state and react); the answer kit; the products and the
/// generic engine; the router; and the fake itself, in-process and over
/// HTTP, with its controls; recording, replaying and diffing sessions
/// against an upstream on top.
const PLAID_MOCK_LAYERS: &[(&str, &[&str])] = &[
    ("kernel", &["kernel"]),
    ("sandbox", &["sandbox"]),
    ("answer kit", &["kit"]),
    ("products and engine", &["products", "engine"]),
    ("router", &["router"]),
    ("the fake", &["", "mock", "server", "sandbox_errors"]),
    ("record and replay", &["cassette"]),
];

#[test]
fn plaid_mock_has_no_import_circle_and_imports_only_downward() {
    let graph = Graph::read("plaid-mock");
    graph.assert_no_cycles("plaid-mock");
    graph.assert_layers("plaid-mock", PLAID_MOCK_LAYERS);
}

#[test]
fn the_checker_refuses_an_import_from_a_layer_above() {
    let modules: BTreeMap<ModulePath, PathBuf> = ["", "low", "high"]
        .iter()
        .map(|m| (m.to_string(), PathBuf::from(format!("{m}.rs"))))
        .collect();
    let mut imports = Vec::new();
    push_import(
        &modules,
        "low",
        Path::new("low.rs"),
        3,
        "crate::high::X",
        &mut imports,
    );
    let graph = Graph { modules, imports };
    let layers: &[(&str, &[&str])] = &[("low", &["low"]), ("high", &["high", ""])];
    let refused = std::panic::catch_unwind(|| graph.assert_layers("test", layers));
    let message = *refused
        .expect_err("an upward import")
        .downcast::<String>()
        .unwrap();
    assert!(
        message.contains("low (low) imports high (high), a layer above"),
        "{message}"
    );
}

#[test]
fn plaid_core_has_no_import_circle() {
    Graph::read("plaid-core").assert_no_cycles("plaid-core");
}

#[test]
fn plaid_hyper_has_no_import_circle_and_keeps_its_layers() {
    let graph = Graph::read("plaid-hyper");
    graph.assert_no_cycles("plaid-hyper");
    graph.assert_layers(
        "plaid-hyper",
        &[
            ("settings and names", &["settings", "target", "tunnel"]),
            ("errors", &["error"]),
            ("TLS and proxy rules", &["tls", "proxy"]),
            ("connections", &["connect", "pool"]),
            ("the transport", &["transport"]),
            ("its builder", &["builder"]),
            ("the crate root", &[""]),
        ],
    );
}
