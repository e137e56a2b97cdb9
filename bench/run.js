// `pnpm bench` compiles bench/ (tsc -b bench) and runs this; the benchmarks themselves are in bench/src.
require('./dist/run.js');
