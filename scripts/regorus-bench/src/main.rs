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
    let input = regorus::Value::from_json_file(&args[1])?;
    engine.set_input(input.clone());
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
    let rvm = match rvm(&mut engine, input, query, iterations) {
        Ok((ns, v)) if v == first => format!("{:.0}", ns),
        Ok(_) => "null, \"rvm_error\": \"different result\"".to_string(),
        Err(e) => format!("null, \"rvm_error\": {:?}", e.to_string()),
    };
    println!("{{\"query\": {:?}, \"N\": {}, \"ns_per_op\": {:.0}, \"rvm_ns_per_op\": {}, \"result\": {}}}",
        query, target, ns, rvm, first.to_json_str()?.replace('\n', " "));
    Ok(())
}

/// The same decision through regorus's bytecode VM (RVM): the policy compiled to a program once,
/// then executed per decision (each execution resets the VM's per-run state).
fn rvm(engine: &mut regorus::Engine, input: regorus::Value, query: &str, iterations: u64) -> anyhow::Result<(f64, regorus::Value)> {
    let compiled = engine.compile_with_entrypoint(&query.into())?;
    let program = regorus::languages::rego::compiler::Compiler::compile_from_policy(&compiled, &[query])?;
    let mut vm = regorus::rvm::RegoVM::new_with_policy(compiled.clone());
    vm.load_program(program);
    vm.set_max_instructions(usize::MAX); // the default 25,000 stops scans over large data
    vm.set_data(engine.get_data())?;
    vm.set_input(input);
    let first = vm.execute_entry_point_by_name(query)?;
    let start = Instant::now();
    let mut n: u64 = 0;
    while iterations == 0 && start.elapsed().as_secs_f64() < 1.0 || n < iterations.min(10) {
        vm.execute_entry_point_by_name(query)?;
        n += 1;
    }
    let target = if iterations > 0 { iterations } else { (n * 3).max(1) };
    let start = Instant::now();
    for _ in 0..target {
        vm.execute_entry_point_by_name(query)?;
    }
    Ok((start.elapsed().as_nanos() as f64 / target as f64, first))
}
