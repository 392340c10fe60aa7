// The service's data logic, shared by the HTTP handlers and the benchmarks.
'use strict';

const VIDEOS = Array.from({ length: 500 }, (_, i) => ({
  id: `video-${i}`,
  projectId: `project-${i % 5}`,
  title: `Inspection run ${i}`,
  durationSec: 30 + (i % 90),
  detections: 20 + ((i * 7) % 200),
}));

/** SLOW=1 injects the regression the demo catches: a needless deep copy per page. */
const slow = process.env.SLOW === '1';

function videosPage(projectId, offset, limit) {
  let videos = VIDEOS.filter(v => v.projectId === projectId || projectId.startsWith('test-'));
  if (slow) videos = JSON.parse(JSON.stringify(VIDEOS)).filter(v => v.projectId === projectId || projectId.startsWith('test-'));
  const page = videos.slice(offset, offset + limit).map(v => ({ ...v, url: `/api/videos/${v.id}` }));
  return { total: videos.length, offset, limit, videos: page };
}

function detections(videoId, limit) {
  const n = Math.min(limit, 500);
  const seed = videoId.length;
  return Array.from({ length: n }, (_, i) => ({ frame: i * 10, label: ['car', 'person', 'bike'][(i + seed) % 3], confidence: 0.5 + ((i * 37 + seed) % 50) / 100 }));
}

function dashboardStats(history) {
  const totalDetections = VIDEOS.reduce((sum, v) => sum + v.detections, 0);
  return { projects: 5, videos: VIDEOS.length, totalDetections, requestsSeen: history.length };
}

module.exports = { videosPage, detections, dashboardStats };
