import { snapshotMatrix } from './matrix';

snapshotMatrix('controlPlaneOnly');
