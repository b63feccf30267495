//! The `newsworker extract` and `classify` command lines: order, error
//! lines, exit status.

mod common;

use std::io::Write;
use std::process::Command;

use common::{assert_valid_record, repo};

fn newsworker() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsworker"))
}

#[test]
fn extract_writes_one_line_per_file_in_order_and_fails_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    // A gzip file with a misleading name: detection is by magic bytes.
    let seed = std::fs::read(repo().join("examples/pages/nato-vilnius-2023.html")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&seed).unwrap();
    let disguised = dir.path().join("seed.html");
    std::fs::write(&disguised, gz.finish().unwrap()).unwrap();
    let missing = dir.path().join("missing.html");
    let empty = dir.path().join("empty.html");
    std::fs::write(&empty, b"").unwrap();
    let german = repo().join("examples/pages/de-bundestag-ukraine-hilfe.html");

    let out = newsworker()
        .arg("extract")
        .args([&disguised, &missing, &empty, &german])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert!(
        lines[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("On the second and final day")
    );
    assert_valid_record(&lines[0]);
    assert_eq!(lines[1]["input"], missing.display().to_string());
    assert_eq!(lines[1]["error"]["class"], "io");
    assert_eq!(lines[2]["error"]["class"], "empty_extraction");
    assert!(
        lines[2]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no article text")
    );
    assert_eq!(lines[3]["language"], "de");
    assert_valid_record(&lines[3]);
}

#[test]
fn extract_succeeds_when_every_file_does_and_uses_the_url() {
    let page = repo().join("examples/pages/nato-vilnius-2023.html");
    let out = newsworker()
        .args([
            "extract",
            "--url",
            "https://www.eurodailynews.example/world/2023/07/12/x#top",
        ])
        .arg(&page)
        .output()
        .unwrap();
    assert!(out.status.success());
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        record["url"],
        "https://www.eurodailynews.example/world/2023/07/12/x#top"
    );
    assert_valid_record(&record);
}

#[test]
fn a_bad_url_is_a_usage_error() {
    let out = newsworker()
        .args(["extract", "--url", "not a url", "x.html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid --url"));
    // A URL, but not a page's.
    for url in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
    ] {
        let out = newsworker()
            .args(["extract", "--url", url, "x.html"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{url}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("only http and https"),
            "{url}"
        );
    }
}

#[test]
fn oversized_files_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.html");
    std::fs::write(&big, vec![b'x'; 5000]).unwrap();
    let out = newsworker()
        .args(["extract", "--max-bytes", "1000"])
        .arg(&big)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["error"]["class"], "too_large");
}

#[test]
fn classify_writes_input_language_geo_per_file_and_fails_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("article.txt");
    std::fs::write(
        &article,
        "Sanctions on Moscow widen\n\nThe European Union adopted new sanctions against \
         Russia on Friday, with an oil embargo and export controls. Ukraine's president \
         Volodymyr Zelensky welcomed the decision in Kyiv.",
    )
    .unwrap();
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"Caf\xe9 au lait\n\nNo geopolitics here.").unwrap();
    let polish = dir.path().join("pl.txt");
    std::fs::write(
        &polish,
        "Polska przekaże Ukrainie kolejne czołgi. Minister obrony zapowiedział, że \
         dostawy broni dla Kijowa będą kontynuowane, a sankcje wobec Rosji zostaną \
         zaostrzone.",
    )
    .unwrap();

    let out = newsworker()
        .arg("classify")
        .args([&article, &latin1, &polish])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    // Fields in the documented order.
    assert!(
        lines[0].starts_with(&format!(
            "{{\"input\":{},\"language\":\"en\",\"geo\":{{\"topics\":",
            serde_json::to_string(&article.display().to_string()).unwrap()
        )),
        "{}",
        lines[0]
    );
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    let topics: Vec<&str> = first["geo"]["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    // Sanctions first; an oil embargo may be energy security too (the
    // taxonomy's "energy embargoes"), as the learned weights judge it.
    assert_eq!(topics[0], "sanctions_trade", "{topics:?}");
    assert!(
        topics
            .iter()
            .all(|t| ["sanctions_trade", "energy_security"].contains(t)),
        "{topics:?}"
    );
    let evidence = &first["geo"]["topics"][0]["evidence"];
    assert!(
        evidence
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["term"] == "sanction*" && e["in_title"] == true && e["count"] == 2),
        "{evidence}"
    );
    assert_eq!(first["geo"]["people"][0]["name"], "Volodymyr Zelensky");
    assert_eq!(first["geo"]["organizations"][0]["name"], "European Union");
    assert_eq!(first["geo"]["taxonomy_version"], "geo-taxonomy-v1");

    let second: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(second["error"]["class"], "decode");
    assert!(
        second["error"]["message"]
            .as_str()
            .unwrap()
            .contains("UTF-8")
    );

    let third: serde_json::Value = serde_json::from_str(lines[2]).unwrap();
    assert_eq!(third["language"], "pl");
    let codes: Vec<&str> = third["geo"]["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    for code in ["PL", "UA", "RU"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}

#[test]
fn classify_refuses_a_broken_taxonomy_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let taxonomy = dir.path().join("taxonomy.toml");
    std::fs::write(
        &taxonomy,
        "version = \"mine\"\n[[topic]]\nid = \"Bad Id\"\nlabel = \"x\"\nstrong.en = [\"a b\"]\n",
    )
    .unwrap();
    let text = dir.path().join("a.txt");
    std::fs::write(&text, "Some text.").unwrap();
    let out = newsworker()
        .args(["classify", "--taxonomy"])
        .arg(&taxonomy)
        .arg(&text)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("taxonomy.toml:3"), "{stderr}");
    assert!(stderr.contains("Bad Id"), "{stderr}");
}

/// A tiny labelled set: short stories in three languages, with and without
/// topics, as `train classification` reads them (sources beside the labels).
fn tiny_labelled_set(dir: &std::path::Path) -> std::path::PathBuf {
    let stories: [(&str, &str, &str, &[&str]); 8] = [
        (
            "s1",
            "Sanctions on Moscow",
            "The EU adopted new sanctions on Russia and an oil embargo.",
            &["sanctions_trade"],
        ),
        (
            "s2",
            "Neue Sanktionen gegen Russland",
            "Die EU hat neue Sanktionen gegen Russland beschlossen.",
            &["sanctions_trade"],
        ),
        (
            "s3",
            "Elecciones en Bolivia",
            "Los bolivianos votaron en las elecciones presidenciales del domingo.",
            &["governance_elections"],
        ),
        (
            "s4",
            "Cup final",
            "The striker scored twice as the club won the cup final; the coach spoke of a war of nerves.",
            &[],
        ),
        (
            "s5",
            "Champions League",
            "The team lost the match after a battle in midfield, the coach said.",
            &[],
        ),
        (
            "s6",
            "Wahl des Trainers",
            "Der Verein hat nach langen Verhandlungen einen neuen Trainer gewählt.",
            &[],
        ),
        (
            "s7",
            "Migrants rescued",
            "Coast guards rescued 300 migrants and refugees crossing the Mediterranean.",
            &["migration_refugees"],
        ),
        (
            "s8",
            "New phone",
            "The company's new smartphone sells well; investors cheered the quarter.",
            &[],
        ),
    ];
    let mut labels = String::new();
    for (id, title, body, topics) in stories {
        std::fs::write(dir.join(format!("{id}.txt")), format!("{title}\n{body}\n")).unwrap();
        labels.push_str(
            &serde_json::json!({
                "id": id, "source": format!("{id}.txt"), "topics": topics, "countries": []
            })
            .to_string(),
        );
        labels.push('\n');
    }
    let path = dir.join("labels.jsonl");
    std::fs::write(&path, labels).unwrap();
    path
}

#[test]
fn train_classification_writes_weights_that_eval_and_the_worker_load() {
    let dir = tempfile::tempdir().unwrap();
    let labels = tiny_labelled_set(dir.path());
    let weights = dir.path().join("weights.toml");
    let out = newsworker()
        .args(["train", "classification", "--folds", "2", "--labels"])
        .arg(&labels)
        .arg("--output")
        .arg(&weights)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("2-fold cross-validated"), "{stdout}");
    assert!(stdout.contains("precision-recall trade"), "{stdout}");
    assert!(stdout.contains("weights fitted to 8 articles"), "{stdout}");
    let text = std::fs::read_to_string(&weights).unwrap();
    assert!(
        text.contains("format = 1") && text.contains("[topic_bias]"),
        "{text}"
    );
    // Deterministic: the same labels give the same file.
    let again = dir.path().join("again.toml");
    let status = newsworker()
        .args(["train", "classification", "--folds", "0", "--labels"])
        .arg(&labels)
        .arg("--output")
        .arg(&again)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(text, std::fs::read_to_string(&again).unwrap());
    // The file loads: eval with it, and `config check` with it.
    let out = newsworker()
        .args(["eval", "classification", "--labels"])
        .arg(&labels)
        .arg("--weights")
        .arg(&weights)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("docs=8"));
    let config = dir.path().join("newsworker.toml");
    std::fs::write(
        &config,
        format!("[classify]\nweights = {:?}\nthreshold = 0.6\n", weights),
    )
    .unwrap();
    let out = newsworker()
        .args(["config", "check", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An operator who edits the term list measures it without rebuilding:
/// `eval classification --taxonomy` classifies with the edited file (and
/// refits the weights to it when cross-validating).
#[test]
fn eval_classification_measures_an_edited_taxonomy() {
    let dir = tempfile::tempdir().unwrap();
    let labels = tiny_labelled_set(dir.path());
    let built_in =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/taxonomy.toml"))
            .unwrap();
    let edited = built_in
        .replacen("\"refugee*\", ", "", 1)
        .replacen("\"migrants\", ", "", 1);
    assert_ne!(edited, built_in);
    let taxonomy = dir.path().join("taxonomy.toml");
    std::fs::write(&taxonomy, edited).unwrap();
    let missed = |extra: &[&std::ffi::OsStr]| {
        let out = newsworker()
            .args(["eval", "classification", "--per-doc", "--labels"])
            .arg(&labels)
            .args(extra)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout.contains("missed [migration_refugees]")
    };
    assert!(!missed(&[]));
    assert!(missed(&["--taxonomy".as_ref(), taxonomy.as_os_str()]));
    assert!(missed(&[
        "--taxonomy".as_ref(),
        taxonomy.as_os_str(),
        "--cross-validate".as_ref(),
        "2".as_ref()
    ]));
    let out = newsworker()
        .args([
            "eval",
            "classification",
            "--taxonomy",
            "/nonexistent/taxonomy.toml",
            "--labels",
        ])
        .arg(&labels)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/taxonomy.toml"));
}

#[test]
fn a_broken_weights_file_is_refused_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let labels = tiny_labelled_set(dir.path());
    let weights = dir.path().join("weights.toml");
    std::fs::write(
        &weights,
        "format = 1\nthreshold = 0.5\nintercept = -2.0\n\n[weights]\nstrong_titel = 1.0\n",
    )
    .unwrap();
    let out = newsworker()
        .args(["eval", "classification", "--labels"])
        .arg(&labels)
        .arg("--weights")
        .arg(&weights)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("weights.toml:6:") && stderr.contains("unknown feature `strong_titel`"),
        "{stderr}"
    );
}

#[test]
fn process_gives_one_line_per_input_line_whatever_the_bytes() {
    use std::io::Write as _;
    let mut child = newsworker()
        .arg("process")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut input = b"not a url\n\xff\xfe\xfd\njavascript:alert(1)\n".to_vec();
    input.extend(std::iter::repeat_n(b'x', 100_000));
    input.extend(b"\nftp://files.example/a\n");
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    for line in &lines {
        assert_eq!(line["error"]["class"], "invalid_url", "{line}");
    }
    assert!(
        lines[1]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not UTF-8")
    );
    assert_eq!(lines[2]["url"], "javascript:alert(1)");
    // The long line is named, not echoed back whole.
    assert!(lines[3]["url"].as_str().unwrap().len() <= 200);
    assert_eq!(lines[4]["url"], "ftp://files.example/a");
}

#[test]
fn piped_input_is_read_only_to_the_limit() {
    use std::io::Write as _;
    for (command, limit_args) in [
        ("extract", vec!["--max-bytes", "100000"]),
        ("classify", vec![]),
    ] {
        let mut child = newsworker()
            .arg(command)
            .args(&limit_args)
            .arg("/dev/stdin")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        // More than either limit; the writer stops when the reader does.
        let writer = std::thread::spawn(move || {
            let chunk = vec![b'a'; 1 << 20];
            for _ in 0..16 {
                if stdin.write_all(&chunk).is_err() {
                    break;
                }
            }
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        assert_eq!(out.status.code(), Some(1), "{command}");
        let line: serde_json::Value =
            serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim()).unwrap();
        assert_eq!(line["error"]["class"], "too_large", "{command}: {line}");
        assert!(
            line["error"]["message"]
                .as_str()
                .unwrap()
                .contains("reading stopped"),
            "{line}"
        );
    }
}

#[test]
fn eval_names_mistakes_with_ids_in_any_script() {
    // A multi-byte character across byte 16 of the id, where the mistake
    // line cuts it: once a panic.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "Sanctions on Moscow\nThe EU adopted new sanctions on Russia.\n",
    )
    .unwrap();
    let id = "статья-номер-один-2023";
    std::fs::write(
        dir.path().join("labels.jsonl"),
        serde_json::json!({"id": id, "source": "a.txt", "topics": ["nuclear_wmd"], "countries": []})
            .to_string(),
    )
    .unwrap();
    let out = newsworker()
        .args(["eval", "classification", "--per-doc", "--labels"])
        .arg(dir.path().join("labels.jsonl"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("статья-номер-од"));
}

#[test]
fn run_refuses_to_start_when_the_metrics_address_is_taken() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("newsworker.toml");
    std::fs::write(
        &config,
        format!("[kafka]\nbrokers = \"127.0.0.1:1\"\n\n[metrics]\nlisten = \"{addr}\"\n"),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let out = newsworker()
        .args(["run", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on {addr}")) && stderr.contains("metrics.listen"),
        "{stderr}"
    );
}

#[test]
fn config_check_refuses_values_that_would_fail_later() {
    let dir = tempfile::tempdir().unwrap();
    for (body, key) in [
        (
            "[fetch]\nrobots_ttl_secs = 9223372036854775807\n",
            "fetch.robots_ttl_secs",
        ),
        (
            "[worker]\ncommit_interval_ms = 9000000000000\n",
            "worker.commit_interval_ms",
        ),
        (
            "[fetch]\nuser_agent = \"bot/1.0\\r\\nX-Injected: yes\"\n",
            "fetch.user_agent",
        ),
    ] {
        let config = dir.path().join("newsworker.toml");
        std::fs::write(&config, body).unwrap();
        let out = newsworker()
            .args(["config", "check", "--config"])
            .arg(&config)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{body}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(key), "{body}: {stderr}");
    }
}

/// `run --embedded`, the README's first command: it starts, the bundled
/// pages come out as records and the poison message as a dead letter, its
/// endpoints listen on loopback only (the default address), and SIGTERM
/// exits 0 with no ERROR line and no colour codes in the piped log.
#[test]
fn run_embedded_prints_records_and_a_dead_letter_and_stops_cleanly() {
    use std::io::BufRead;
    let default_port_free = std::net::TcpListener::bind("0.0.0.0:9095").is_ok();
    let mut child = newsworker()
        .args(["run", "--embedded"])
        .env_remove("RUST_LOG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (lines_tx, lines_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            if lines_tx.send(line.unwrap()).is_err() {
                return;
            }
        }
    });
    let mut printed = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    while printed.len() < 6 && std::time::Instant::now() < deadline {
        if let Ok(line) = lines_rx.recv_timeout(std::time::Duration::from_millis(200)) {
            printed.push(line);
        }
    }
    let records = printed.iter().filter(|l| l.contains("\"schema\"")).count();
    let dead = printed.iter().filter(|l| l.contains("no_url")).count();
    assert_eq!((records, dead), (5, 1), "{printed:#?}");
    // The pages' URLs came from discovery reading the bundled feed: each
    // record says where its URL was found.
    for line in printed.iter().filter(|l| l.contains("\"schema\"")) {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let found_in = record["request"]["meta"]["found_in"]
            .as_str()
            .unwrap_or_default();
        assert!(found_in.ends_with("/feed.xml"), "{line}");
        assert_eq!(record["request"]["meta"]["format"], "rss");
    }

    if default_port_free {
        let healthz = std::net::TcpStream::connect("127.0.0.1:9095");
        assert!(healthz.is_ok(), "endpoints on 127.0.0.1:9095");
        // An address of this machine other than loopback, if it has one.
        let probe = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
        if probe.connect("10.255.255.254:9").is_ok()
            && let Ok(local) = probe.local_addr()
            && !local.ip().is_loopback()
            && !local.ip().is_unspecified()
        {
            assert!(
                std::net::TcpStream::connect((local.ip(), 9095)).is_err(),
                "endpoints reachable on {}",
                local.ip()
            );
        }
    }

    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("ERROR"), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}'),
        "colour codes in a piped log: {stderr}"
    );
    assert!(stderr.contains("worker stopped"), "{stderr}");
}

/// An unreachable broker: librdkafka reports every failed connection
/// attempt; the log holds each distinct line back for a while instead of
/// repeating it many times a second.
#[test]
fn an_unreachable_broker_does_not_flood_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("newsworker.toml");
    std::fs::write(
        &config,
        "[kafka]\nbrokers = \"127.0.0.1:1\"\n\n[metrics]\nlisten = \"127.0.0.1:0\"\n",
    )
    .unwrap();
    let child = newsworker()
        .args(["run", "--config"])
        .arg(&config)
        .env_remove("RUST_LOG")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(6));
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let complaints = stderr
        .lines()
        .filter(|l| l.contains("WARN") || l.contains("ERROR"))
        .count();
    assert!(
        (1..=6).contains(&complaints),
        "{complaints} warnings and errors in 6 s:\n{stderr}"
    );
}

#[test]
fn eval_classification_reads_only_the_words_the_annotators_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "Talks in Paris\nThe French minister spoke at length today about schools. \
         Later in the day, delegates from Brazil arrived.\n",
    )
    .unwrap();
    let labels = dir.path().join("labels.jsonl");
    std::fs::write(
        &labels,
        r#"{"id": "a", "source": "a.txt", "topics": [], "countries": ["FR"]}"#,
    )
    .unwrap();
    let country_precision = |extra: &[&str]| {
        let out = newsworker()
            .args(["eval", "classification", "--labels"])
            .arg(&labels)
            .args(extra)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{stdout}");
        let line = stdout
            .lines()
            .find(|l| l.starts_with("docs="))
            .unwrap_or_default()
            .to_owned();
        let after = line.split("country_micro_f1=").nth(1).unwrap_or_default();
        after
            .split("(p=")
            .nth(1)
            .and_then(|p| p.split(' ').next())
            .unwrap_or_default()
            .to_owned()
    };
    // The whole text names Brazil too, which the labels (made on the first
    // nine words, say) leave out.
    assert_eq!(country_precision(&[]), "0.500");
    assert_eq!(country_precision(&["--read-words", "9"]), "1.000");
}
