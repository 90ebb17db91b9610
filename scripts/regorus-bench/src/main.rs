// Times one decision in regorus (the Rust Rego engine) on the policy, data and input files given,
// the way `opa bench` does: prepare once, then evaluate the query in a loop after a warm-up.
// Usage: regorus-bench <query> <input.json> <file.rego|data.json>... [--iterations N]
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut iterations: u64 = 0;
    let mut files = Vec::new();
    let mut i = 2;
    while i < args.len() {
        if args[i] == "--iterations" {
            iterations = args[i + 1].parse()?;
            i += 2;
        } else {
            files.push(args[i].clone());
            i += 1;
        }
    }
    let query = &args[0];
    let mut engine = regorus::Engine::new();
    for f in &files {
        if f.ends_with(".rego") {
            engine.add_policy_from_file(f)?;
        } else {
            engine.add_data(regorus::Value::from_json_file(f)?)?;
        }
    }
    engine.set_input(regorus::Value::from_json_file(&args[1])?);
    let first = engine.eval_rule(query.clone())?;
    // warm-up and calibration: about one second of decisions unless told how many
    let start = Instant::now();
    let mut n: u64 = 0;
    while iterations == 0 && start.elapsed().as_secs_f64() < 1.0 || n < iterations.min(10) {
        engine.eval_rule(query.clone())?;
        n += 1;
    }
    let target = if iterations > 0 { iterations } else { (n * 3).max(1) };
    let start = Instant::now();
    for _ in 0..target {
        engine.eval_rule(query.clone())?;
    }
    let ns = start.elapsed().as_nanos() as f64 / target as f64;
    println!("{{\"query\": {:?}, \"N\": {}, \"ns_per_op\": {:.0}, \"result\": {}}}", query, target, ns,
        first.to_json_str()?);
    Ok(())
}
