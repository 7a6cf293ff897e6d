import { registerAudit } from './commands/audit.js';
import { registerContracts } from './commands/contracts.js';
import { registerDemo } from './commands/demo.js';
import { registerLand } from './commands/land.js';
import { registerServe } from './commands/serve.js';
import { registerToken } from './commands/token.js';
import { registerGrades } from './commands/grades.js';
import { registerJobs } from './commands/jobs.js';
import { registerPolicy } from './commands/policy.js';
import { createProgram } from './program.js';

const program = createProgram();
registerToken(program);
registerAudit(program);
registerContracts(program);
registerDemo(program);
registerServe(program);
registerLand(program);
registerPolicy(program);
registerGrades(program);
registerJobs(program);

await program.parseAsync(process.argv);
