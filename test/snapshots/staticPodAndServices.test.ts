import { snapshotMatrix } from './matrix';

snapshotMatrix('staticPodAndServices');
