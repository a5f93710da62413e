/** 照片 — zh-CN (photo picker and gallery shared by activity summaries and service orders). */
export const photosZhCN = {
  add: '添加照片',
  hint: '最多 {{max}} 张，JPEG/PNG/WebP，每张不超过 5 MB；上传前自动压缩，位置等拍摄信息会被去除',
  remove: '移除',
  notImage: '{{name}} 不是 JPEG、PNG 或 WebP 图片',
  tooMany: '最多 {{max}} 张照片',
  failed: '{{name}} 无法读取',
  none: '暂无照片',
  request: '群众提交的照片',
  work: '办理照片',
  summary: '总结照片',
  progress: '记录进展',
  progressTitle: '记录办理进展',
  progressNote: '进展情况',
  alt: '照片 {{n}}',
};
