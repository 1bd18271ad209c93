// moonpool/sim: the simulator (`@moonpool/sim`: SimulationBuilder, Process, Workload, runFile,
// reports). An entry point of its own so production code importing `moonpool` never loads it.
export * from "@moonpool/sim";
