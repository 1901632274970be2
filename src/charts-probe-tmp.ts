import QuickChart from 'quickchart-js';
const q = new QuickChart().setConfig('{}').setHost('a:1').setScheme('http');
export const u: string = q.getUrl();
