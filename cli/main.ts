import { registerContracts } from './commands/contracts.js';
import { registerDemo } from './commands/demo.js';
import { registerToken } from './commands/token.js';
import { createProgram } from './program.js';

const program = createProgram();
registerToken(program);
registerContracts(program);
registerDemo(program);

await program.parseAsync(process.argv);
