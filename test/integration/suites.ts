// Every integration suite, imported for its side effect of registering with mocha. Add new
// *.test.ts files here: index.ts loads this file once mocha's globals exist.
import './harness.test.js';
import './clonedRepository.test.js';
import './verificationTask.test.js';
import './extension.test.js';
import './batchRun.test.js';
import './coderTurn.test.js';
import './apiKeys.test.js';
import './keysView.test.js';
import './spendCaps.test.js';
import './realProviders.test.js';
import './hostileCoder.test.js';
import './languageModels.test.js';
import './geminiLoop.test.js';
import './reviewView.test.js';
import './hardStopGate.test.js';
import './questions.test.js';
import './chatParticipant.test.js';
import './keyVaultServer.test.js';
import './keyVault.test.js';
