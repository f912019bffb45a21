import { snapshotMatrix } from './matrix';

snapshotMatrix('combined');
