/** The channel tab (/tab/index.html): the co-ordinator's plan. */
import { mountTab } from './mount';

mountTab('channel');
