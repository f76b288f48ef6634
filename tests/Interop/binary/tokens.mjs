// Prints Baileys' token dictionaries (version 3) as JSON so the .NET tests can compare them entry by entry.
import { SINGLE_BYTE_TOKENS, DOUBLE_BYTE_TOKENS } from '@whiskeysockets/baileys/lib/WABinary/constants.js';

process.stdout.write(JSON.stringify({ single: SINGLE_BYTE_TOKENS, double: DOUBLE_BYTE_TOKENS }));
