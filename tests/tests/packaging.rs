//! The packages, installed and run: `cargo xtask test` packages the dev build (`cargo
//! xtask package --profile dev --stage macos --stage windows` into target/package-test)
//! and points `NEXUS_PACKAGE_DIR` here.
//!
//! * the `.deb` installs into a fresh dpkg root (the machine's own system is not touched)
//!   and the installed `nexus` reports its version and renders a page;
//! * its metadata: dependencies computed from the ELF files, a root-owned setuid
//!   chrome-sandbox, desktop entry, icons, licenses; lintian finds no errors;
//! * the portable tarball runs from wherever it is unpacked;
//! * the macOS bundle and the Windows install folder, laid out with Linux files standing
//!   in, match the trees CEF requires; the signing and disk-image scripts issue the right
//!   commands (dry run); the NSIS installer compiled.

use nexus_tests::image::Image;
use nexus_tests::{TempDir, run_with_timeout, test_page_url};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(120);
/// The workspace version: what every package and `nexus --version` must say.
const VERSION: &str = env!("CARGO_PKG_VERSION");

fn package_dir() -> PathBuf {
    let dir = std::env::var_os("NEXUS_PACKAGE_DIR").map(PathBuf::from);
    match dir {
        Some(dir) if dir.is_dir() => dir,
        _ => panic!(
            "NEXUS_PACKAGE_DIR does not name the packaged dev build: run the tests with \
             `cargo xtask test` (or `cargo xtask package --profile dev --stage macos --stage \
             windows --out DIR` and set NEXUS_PACKAGE_DIR=DIR)"
        ),
    }
}

/// The one artifact in the package folder whose name ends with `suffix`.
fn artifact(suffix: &str) -> PathBuf {
    let dir = package_dir();
    let found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("package dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(suffix))
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one *{suffix} in {}, found {found:?}",
        dir.display()
    );
    found.into_iter().next().expect("one")
}

fn run(cmd: &mut Command) -> Output {
    let out = run_with_timeout(cmd, TIMEOUT);
    assert!(
        out.status.success(),
        "{cmd:?} failed ({})\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8_lossy(&run(cmd).stdout).into_owned()
}

/// `nexus --version` through the launcher at `launcher` says the workspace version.
fn assert_version(launcher: &Path) {
    let text = stdout(Command::new(launcher).arg("--version"));
    assert!(text.starts_with(&format!("Nexus {VERSION}\n")), "{text}");
    assert!(
        text.contains("\nCEF 131.") && text.contains("\nChromium 131."),
        "{text}"
    );
}

/// `nexus --screenshot` of the boxes test page through `launcher`, checked by pixels.
fn assert_screenshot(launcher: &Path) {
    let dir = TempDir::new("pkg-shot");
    let shot = dir.path().join("shot.png");
    run(Command::new(launcher)
        .current_dir(dir.path())
        .arg("--profile")
        .arg(dir.path().join("profile"))
        .arg("--screenshot")
        .arg(&shot)
        .args(["--window-size", "800x600"])
        .arg(test_page_url("boxes.html")));
    let img = Image::load(&shot);
    assert_eq!((img.width, img.height), (800, 600));
    assert!(
        img.share_near(50, 50, 180, 130, [0xe5, 0x39, 0x35], 8) > 0.99,
        "red box"
    );
    assert!(
        img.share_near(310, 50, 180, 130, [0x43, 0xa0, 0x47], 8) > 0.99,
        "green box"
    );
    assert!(
        img.share_near(50, 270, 180, 130, [0x1e, 0x88, 0xe5], 8) > 0.99,
        "blue box"
    );
    assert!(
        img.share_near(600, 500, 100, 50, [255, 255, 255], 2) > 0.99,
        "white background"
    );
    assert!(
        img.distinct_colors(300, 260, 280, 50) > 8,
        "text is anti-aliased glyphs"
    );
}

#[test]
fn deb_installs_into_a_fresh_root_and_renders_a_page() {
    let deb = artifact(".deb");
    let root = TempDir::new("dpkg-root");
    let admin = root.path().join("var/lib/dpkg");
    for dir in ["info", "updates", "triggers"] {
        std::fs::create_dir_all(admin.join(dir)).unwrap();
    }
    std::fs::write(admin.join("status"), "").unwrap();
    // A root of its own: dpkg's database there knows no other package, so dependencies
    // are forced; the package has no maintainer scripts to run.
    run(Command::new("dpkg")
        .arg(format!("--root={}", root.path().display()))
        .args(["--force-depends", "--log=/dev/null", "-i"])
        .arg(&deb));
    let listed = stdout(
        Command::new("dpkg-query")
            .arg(format!("--admindir={}", admin.display()))
            .args(["-W", "-f=${Package} ${Version} ${Status}", "nexus"]),
    );
    assert_eq!(listed, format!("nexus {VERSION} install ok installed"));

    let sandbox = root.path().join("usr/lib/nexus/chrome-sandbox");
    let meta = std::fs::metadata(&sandbox).unwrap();
    use std::os::unix::fs::MetadataExt;
    assert_eq!(
        (meta.uid(), meta.gid(), meta.mode() & 0o7777),
        (0, 0, 0o4755),
        "chrome-sandbox"
    );

    let launcher = root.path().join("usr/bin/nexus");
    assert_version(&launcher);
    assert_screenshot(&launcher);
    assert_analysis(&launcher);
}

/// `nexus analyze` of the article test page through `launcher`: the packaged AI worker with
/// the packaged model files reads the page.
fn assert_analysis(launcher: &Path) {
    let dir = TempDir::new("pkg-analyze");
    let json = stdout(
        Command::new(launcher)
            .current_dir(dir.path())
            .env_remove("NEXUS_MODEL_DIR")
            .arg("--profile")
            .arg(dir.path().join("profile"))
            .arg("analyze")
            .arg(test_page_url("article.html")),
    );
    let analysis: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(analysis["category"]["confidence"].is_number(), "{json}");
    let entities = analysis["entities"].as_array().unwrap();
    assert!(
        entities.iter().any(|e| e["text"] == "Oslo"),
        "the packaged worker finds the places: {json}"
    );
    assert!(
        analysis["summary"].as_array().is_some_and(|s| s.len() >= 3),
        "{json}"
    );
}

#[test]
fn deb_declares_computed_dependencies_and_ships_desktop_files_and_licenses() {
    let deb = artifact(".deb");
    let field = |name: &str| {
        stdout(Command::new("dpkg-deb").arg("-f").arg(&deb).arg(name))
            .trim()
            .to_string()
    };
    assert_eq!(field("Package"), "nexus");
    assert_eq!(field("Version"), VERSION);
    let depends = field("Depends");
    // From dpkg-shlibdeps over libcef.so and the binaries, with versions from the
    // libraries' symbols files; plus the run-time-loaded ones.
    for package in [
        "libc6 (>=",
        "libnss3 (>=",
        "libatk1.0-0 (>=",
        "libgbm1 (>=",
        "libxkbcommon0 (>=",
        "libegl1",
        "libudev1",
    ] {
        assert!(
            depends.contains(package),
            "Depends lacks {package}: {depends}"
        );
    }
    let installed_kib: u64 = field("Installed-Size").parse().unwrap();
    assert!(
        installed_kib > 300 * 1024,
        "Installed-Size {installed_kib} KiB is too small for CEF and the models"
    );

    let listing = stdout(Command::new("dpkg-deb").arg("-c").arg(&deb));
    let entry = |path: &str| {
        listing
            .lines()
            .find(|l| l.ends_with(&format!(" ./{path}")) || l.contains(&format!(" ./{path} -> ")))
            .unwrap_or_else(|| panic!("{path} is not in the .deb:\n{listing}"))
            .to_string()
    };
    let sandbox = entry("usr/lib/nexus/chrome-sandbox");
    assert!(sandbox.starts_with("-rwsr-xr-x root/root"), "{sandbox}");
    assert!(entry("usr/bin/nexus").starts_with("-rwxr-xr-x root/root"));
    for path in [
        "usr/lib/nexus/nexus",
        "usr/lib/nexus/nexus-renderer",
        "usr/lib/nexus/libcef.so",
        "usr/lib/nexus/icudtl.dat",
        "usr/lib/nexus/resources.pak",
        "usr/lib/nexus/chrome_100_percent.pak",
        "usr/lib/nexus/v8_context_snapshot.bin",
        "usr/lib/nexus/snapshot_blob.bin",
        "usr/lib/nexus/libEGL.so",
        "usr/lib/nexus/libGLESv2.so",
        "usr/lib/nexus/libvk_swiftshader.so",
        "usr/lib/nexus/vk_swiftshader_icd.json",
        "usr/lib/nexus/locales/en-US.pak",
        "usr/lib/nexus/models/all-minilm-l6-v2/model.safetensors",
        "usr/lib/nexus/models/all-minilm-l6-v2/LICENSE",
        "usr/lib/nexus/models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf",
        "usr/share/applications/nexus.desktop",
        "usr/share/icons/hicolor/scalable/apps/nexus.svg",
        "usr/share/doc/nexus/copyright",
        "usr/share/doc/nexus/changelog.gz",
        "usr/share/doc/nexus/THIRD-PARTY-RUST.txt",
        "usr/share/doc/nexus/CEF-LICENSE.html",
        "usr/share/doc/nexus/CHROMIUM-CREDITS.html",
        "usr/share/doc/nexus/models/all-minilm-l6-v2-LICENSE.txt",
        "usr/share/man/man1/nexus.1.gz",
    ] {
        entry(path);
    }
    for size in [16, 24, 32, 48, 64, 128, 256, 512] {
        entry(&format!(
            "usr/share/icons/hicolor/{size}x{size}/apps/nexus.png"
        ));
    }
    assert!(
        !listing.contains("cefsimple"),
        "the CEF sample app is not shipped"
    );
}

#[test]
fn deb_icons_are_the_logo_rendered_at_each_size() {
    let deb = artifact(".deb");
    let dir = TempDir::new("deb-icons");
    run(Command::new("dpkg-deb").arg("-x").arg(&deb).arg(dir.path()));
    for size in [16u32, 48, 256, 512] {
        let img = Image::load(&dir.path().join(format!(
            "usr/share/icons/hicolor/{size}x{size}/apps/nexus.png"
        )));
        assert_eq!((img.width, img.height), (size, size));
        let at = |fx: f32, fy: f32| img.rgb((fx * size as f32) as u32, (fy * size as f32) as u32);
        // Gradient from #3b6cf6 (top left) to #8a5cf6 (bottom right); white N in the middle.
        let top_left = at(0.2, 0.2);
        let bottom_right = at(0.8, 0.8);
        assert!(
            top_left[2] > 0xe0 && top_left[0] < 0x70,
            "blue top left at {size}: {top_left:?}"
        );
        assert!(
            bottom_right[0] > top_left[0] + 0x20,
            "violet bottom right at {size}: {bottom_right:?}"
        );
        if size >= 48 {
            // (At 16 px the stem is one anti-aliased pixel wide.)
            let stem = at(0.38, 0.5);
            assert!(
                stem.iter().all(|c| *c > 0xe0),
                "the N's stem is white at {size}: {stem:?}"
            );
        }
        let corner = img.rgba[3];
        assert_eq!(
            corner, 0,
            "corners are transparent (rounded square) at {size}"
        );
    }
}

#[test]
fn lintian_reports_no_errors() {
    let deb = artifact(".deb");
    let out = run_with_timeout(
        Command::new("lintian")
            .args(["--fail-on", "error", "--no-tag-display-limit"])
            .arg(&deb),
        Duration::from_secs(600),
    );
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("lintian:\n{text}");
    assert!(out.status.success(), "lintian failed:\n{text}");
    assert!(
        !text.lines().any(|l| l.starts_with("E: ")),
        "lintian errors:\n{text}"
    );
}

#[test]
fn launcher_points_the_ai_worker_at_the_packaged_models() {
    // The real launcher in a tree whose `nexus` only prints its environment.
    let dir = TempDir::new("launcher");
    let tree = dir.path().join("some where/nexus-tree");
    std::fs::create_dir_all(tree.join("bin")).unwrap();
    std::fs::create_dir_all(tree.join("lib/nexus/models")).unwrap();
    let launcher = tree.join("bin/nexus");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../packaging/linux/nexus.sh"),
        &launcher,
    )
    .unwrap();
    let fake = tree.join("lib/nexus/nexus");
    std::fs::write(
        &fake,
        "#!/bin/sh\necho \"model_dir=$NEXUS_MODEL_DIR args=$*\"\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    for f in [&launcher, &fake] {
        std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // Started through a symlink elsewhere (as /usr/bin/nexus may be), from another folder.
    let link = dir.path().join("nexus-link");
    std::os::unix::fs::symlink(&launcher, &link).unwrap();
    let out = stdout(
        Command::new(&link)
            .current_dir("/")
            .env_remove("NEXUS_MODEL_DIR")
            .args(["a b", "c"]),
    );
    let expected = tree.join("bin/../lib/nexus/models");
    assert_eq!(
        out.trim(),
        format!("model_dir={} args=a b c", expected.display())
    );
    // A folder the user chose wins.
    let out = stdout(Command::new(&link).env("NEXUS_MODEL_DIR", "/elsewhere"));
    assert!(out.starts_with("model_dir=/elsewhere "), "{out}");
}

#[test]
fn tarball_runs_from_wherever_it_is_unpacked() {
    let tarball = artifact("-linux-x86_64.tar.gz");
    let dir = TempDir::new("tarball");
    run(Command::new("tar")
        .arg("-C")
        .arg(dir.path())
        .arg("-xzf")
        .arg(&tarball));
    let top = dir.path().join(format!("nexus-{VERSION}-linux-x86_64"));
    let sandbox = std::fs::metadata(top.join("lib/nexus/chrome-sandbox")).unwrap();
    use std::os::unix::fs::MetadataExt;
    assert_eq!(sandbox.mode() & 0o7777, 0o755, "no setuid bit in a tarball");
    assert!(top.join("share/applications/nexus.desktop").is_file());
    assert!(
        top.join("lib/nexus/models/smollm2-135m-instruct/LICENSE")
            .is_file()
    );
    assert_version(&top.join("bin/nexus"));
    assert_screenshot(&top.join("bin/nexus"));
}

#[test]
fn debug_files_are_kept_apart_and_linked() {
    let tarball = artifact("-linux-x86_64-debug.tar.gz");
    let listing = stdout(Command::new("tar").arg("-tzf").arg(&tarball));
    for name in ["nexus.debug", "nexus-renderer.debug"] {
        assert!(
            listing.lines().any(|l| l.ends_with(&format!("/{name}"))),
            "{name} missing:\n{listing}"
        );
    }
    let deb = artifact(".deb");
    let dir = TempDir::new("debuglink");
    run(Command::new("dpkg-deb").arg("-x").arg(&deb).arg(dir.path()));
    let binary = dir.path().join("usr/lib/nexus/nexus");
    let sections = stdout(Command::new("readelf").arg("-S").arg(&binary));
    assert!(
        sections.contains(".gnu_debuglink"),
        "no debug link in the shipped nexus"
    );
    assert!(
        !sections.contains(".debug_line"),
        "the shipped nexus still carries debug info"
    );
    let rpath = stdout(Command::new("readelf").arg("-d").arg(&binary));
    assert!(
        rpath.contains("[$ORIGIN]"),
        "run path is not $ORIGIN alone:\n{rpath}"
    );
}

/// Every path below `root`, '/'-separated, folders ending in '/'.
fn tree(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                out.push(format!("{rel}/"));
                stack.push(path);
            } else {
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

fn assert_has(tree: &[String], expected: &[&str], what: &str) {
    let missing: Vec<&&str> = expected
        .iter()
        .filter(|e| !tree.iter().any(|t| t == *e))
        .collect();
    assert!(
        missing.is_empty(),
        "{what} lacks {missing:?}; it has:\n{}",
        tree.join("\n")
    );
}

/// A plist as JSON, read with Python's plistlib (which rejects malformed plists).
fn plist(path: &Path) -> serde_json::Value {
    let json = stdout(
        Command::new("python3")
            .args(["-c", "import json, plistlib, sys; print(json.dumps(plistlib.load(open(sys.argv[1], 'rb'))))"])
            .arg(path),
    );
    serde_json::from_str(&json).unwrap()
}

const HELPERS: &[(&str, &str)] = &[
    ("Nexus Helper", "dev.nexus.Nexus.helper"),
    ("Nexus Helper (GPU)", "dev.nexus.Nexus.helper.gpu"),
    ("Nexus Helper (Renderer)", "dev.nexus.Nexus.helper.renderer"),
    ("Nexus Helper (Plugin)", "dev.nexus.Nexus.helper.plugin"),
    ("Nexus Helper (Alerts)", "dev.nexus.Nexus.helper.alerts"),
];

#[test]
fn macos_bundle_has_the_layout_cef_requires() {
    let app = package_dir().join("stage-macos/Nexus.app");
    let tree = tree(&app);
    let fw = "Contents/Frameworks/Chromium Embedded Framework.framework";
    let mut expected: Vec<String> = [
        "Contents/Info.plist",
        "Contents/PkgInfo",
        "Contents/MacOS/Nexus",
        "Contents/Resources/nexus.icns",
        "Contents/Resources/models/all-minilm-l6-v2/model.safetensors",
        "Contents/Resources/models/smollm2-135m-instruct/LICENSE",
        "Contents/Resources/licenses/THIRD-PARTY-RUST.txt",
        "Contents/Resources/licenses/CHROMIUM-CREDITS.html",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for file in [
        "Chromium Embedded Framework",
        "Libraries/libEGL.dylib",
        "Libraries/libGLESv2.dylib",
        "Libraries/libvk_swiftshader.dylib",
        "Libraries/vk_swiftshader_icd.json",
        "Resources/Info.plist",
        "Resources/icudtl.dat",
        "Resources/resources.pak",
        "Resources/chrome_100_percent.pak",
        "Resources/chrome_200_percent.pak",
        "Resources/v8_context_snapshot.bin",
        "Resources/en.lproj/locale.pak",
        "Resources/en_GB.lproj/locale.pak",
        "Resources/pt_BR.lproj/locale.pak",
    ] {
        expected.push(format!("{fw}/{file}"));
    }
    for (name, _) in HELPERS {
        let helper = format!("Contents/Frameworks/{name}.app/Contents");
        expected.extend([
            format!("{helper}/Info.plist"),
            format!("{helper}/PkgInfo"),
            format!("{helper}/MacOS/{name}"),
        ]);
    }
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_has(&tree, &expected, "Nexus.app");
    assert!(
        !tree
            .iter()
            .any(|t| t.contains("chrome-sandbox") || t.ends_with(".so")),
        "Linux-only files in the bundle"
    );

    let info = plist(&app.join("Contents/Info.plist"));
    assert_eq!(info["CFBundleExecutable"], "Nexus");
    assert_eq!(info["CFBundleIdentifier"], "dev.nexus.Nexus");
    assert_eq!(info["CFBundleShortVersionString"], VERSION);
    assert_eq!(info["CFBundleIconFile"], "nexus.icns");
    let icns = std::fs::read(app.join("Contents/Resources/nexus.icns")).unwrap();
    assert_eq!(&icns[..4], b"icns");
    assert_eq!(
        u32::from_be_bytes(icns[4..8].try_into().unwrap()) as usize,
        icns.len()
    );
    for (name, id) in HELPERS {
        let info = plist(&app.join(format!(
            "Contents/Frameworks/{name}.app/Contents/Info.plist"
        )));
        assert_eq!(info["CFBundleExecutable"], *name);
        assert_eq!(info["CFBundleIdentifier"], *id);
        assert_eq!(info["LSUIElement"], "1", "{name} stays out of the Dock");
    }
    for entitlements in ["app.entitlements", "helper.entitlements"] {
        let e = plist(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../packaging/macos")
                .join(entitlements),
        );
        assert_eq!(
            e["com.apple.security.cs.allow-jit"], true,
            "{entitlements} allows JIT"
        );
    }
}

#[test]
fn macos_scripts_sign_inside_out_and_make_a_dmg() {
    let app = package_dir().join("stage-macos/Nexus.app");
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../packaging/macos");
    let signing = stdout(
        Command::new("bash")
            .arg(scripts.join("sign.sh"))
            .arg(&app)
            .env("NEXUS_DRY_RUN", "1")
            .env(
                "NEXUS_MACOS_SIGN_IDENTITY",
                "Developer ID Application: Test (TEAM)",
            ),
    );
    let lines: Vec<&str> = signing.lines().collect();
    let position = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("sign.sh never signs {needle}:\n{signing}"))
    };
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("+ codesign ") && l.contains("--options runtime --timestamp")),
        "{signing}"
    );
    let framework = lines
        .iter()
        .position(|l| l.ends_with("Chromium\\ Embedded\\ Framework.framework"))
        .unwrap_or_else(|| panic!("sign.sh never signs the framework:\n{signing}"));
    assert!(
        position("libEGL.dylib") < framework,
        "libraries before the framework"
    );
    let app_line = lines.len() - 1;
    assert!(
        lines[app_line].ends_with("Nexus.app") && lines[app_line].contains("app.entitlements"),
        "{signing}"
    );
    for (name, _) in HELPERS {
        let helper = position(&format!(
            "{}.app",
            name.replace(' ', "\\ ")
                .replace('(', "\\(")
                .replace(')', "\\)")
        ));
        assert!(
            framework < helper && helper < app_line,
            "{name} is signed after the framework, before the app"
        );
        assert!(
            lines[helper].contains("helper.entitlements"),
            "{name} gets the JIT entitlements"
        );
    }

    let out = TempDir::new("dmg");
    let dmg_path = out.path().join("nexus.dmg");
    let dmg = stdout(
        Command::new("bash")
            .arg(scripts.join("make-dmg.sh"))
            .arg(&app)
            .arg(&dmg_path)
            .env("NEXUS_DRY_RUN", "1")
            .env_remove("NEXUS_MACOS_SIGN_IDENTITY"),
    );
    assert!(
        dmg.contains("+ hdiutil create -volname Nexus") && dmg.contains("-format UDZO"),
        "{dmg}"
    );
    assert!(dmg.contains("+ ln -s /Applications"), "{dmg}");
    assert!(!dmg_path.exists(), "a dry run makes no disk image");

    let notarize = run(Command::new("bash")
        .arg(scripts.join("notarize.sh"))
        .arg("/tmp/x.dmg")
        .env("NEXUS_DRY_RUN", "1")
        .env_remove("NEXUS_NOTARY_PROFILE")
        .env_remove("NEXUS_NOTARY_APPLE_ID"));
    assert!(String::from_utf8_lossy(&notarize.stderr).contains("is not notarised"));
    let notarize = stdout(
        Command::new("bash")
            .arg(scripts.join("notarize.sh"))
            .arg("/tmp/x.dmg")
            .env("NEXUS_DRY_RUN", "1")
            .env("NEXUS_NOTARY_PROFILE", "nexus"),
    );
    assert!(
        notarize.contains("+ xcrun notarytool submit /tmp/x.dmg --keychain-profile nexus --wait"),
        "{notarize}"
    );
    assert!(
        notarize.contains("+ xcrun stapler staple /tmp/x.dmg"),
        "{notarize}"
    );
}

#[test]
fn windows_install_folder_has_the_layout_cef_requires_and_the_installer_and_zip_were_made() {
    let stage = package_dir().join("stage-windows");
    let tree = tree(&stage.join("Nexus"));
    assert_has(
        &tree,
        &[
            "nexus.exe",
            "nexus.exe.manifest",
            "nexus-renderer.exe",
            "nexus-renderer.exe.manifest",
            "libcef.dll",
            "libEGL.dll",
            "libGLESv2.dll",
            "vk_swiftshader.dll",
            "vk_swiftshader_icd.json",
            "vulkan-1.dll",
            "icudtl.dat",
            "resources.pak",
            "chrome_100_percent.pak",
            "v8_context_snapshot.bin",
            "locales/en-US.pak",
            "models/all-minilm-l6-v2/model.safetensors",
            "licenses/CEF-LICENSE.html",
            "licenses/THIRD-PARTY-RUST.txt",
            "nexus.ico",
        ],
        "the Windows install folder",
    );
    assert!(
        !tree
            .iter()
            .any(|t| t.contains("chrome-sandbox") || t.contains(".so")),
        "Linux-only files in the folder"
    );
    let manifest = std::fs::read_to_string(stage.join("Nexus/nexus.exe.manifest")).unwrap();
    assert!(
        manifest.contains("{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"),
        "Windows 10/11 compatibility"
    );
    assert!(manifest.contains("PerMonitorV2"));
    let ico = std::fs::read(stage.join("Nexus/nexus.ico")).unwrap();
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "an ICO header");

    let setup = stage.join(format!("nexus-{VERSION}-windows-x86_64-setup.exe"));
    let bytes = std::fs::read(&setup).unwrap_or_else(|e| panic!("{}: {e}", setup.display()));
    assert_eq!(&bytes[..2], b"MZ", "makensis wrote a Windows executable");
    assert!(
        bytes.len() as u64 > 300 << 20,
        "the installer holds the install folder"
    );
    drop(bytes);

    let zip = stage.join(format!("nexus-{VERSION}-windows-x86_64.zip"));
    let names = stdout(
        Command::new("python3")
            .args([
                "-c",
                "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
            ])
            .arg(&zip),
    );
    for name in [
        "Nexus/nexus.exe",
        "Nexus/libcef.dll",
        "Nexus/locales/en-US.pak",
        "Nexus/models/all-minilm-l6-v2/LICENSE",
    ] {
        assert!(
            names.lines().any(|l| l == name),
            "{name} is not in the portable zip"
        );
    }
}
