// The help paragraph every simulating command shows about its bounds (run, compare, sweep): one text, one place.
export const EVENT_BUDGET_HELP = `
Bounds: a run may process at most its event budget, by default proportional to the scenario (4 x its peak
request rate x duration x 8 events per try x balancer tries x client tries, plus health checks and GC, and at
least 1,000,000); set maxEvents: in the scenario to change it. A run that passes its budget, whose simulated
time stops (more events at one instant than the world's clients, backends and requests can cause), or one of
whose events loops, fails at once with exit 3, the seed, the time and the event kinds involved.`;
