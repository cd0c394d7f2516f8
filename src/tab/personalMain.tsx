/** The personal "My actions" tab (manifest staticTabs my-actions → /tab/personal.html). */
import { mountTab } from './mount';

mountTab('personal');
