/** 活动（续）: plan approval level and the youth's call inbox — zh-CN. */
export const activitiesMoreZhCN = {
  settings: {
    tab: '审批设置',
    title: '活动方案审批层级',
    planApprover: '方案由谁审批',
    hint: '所设层级的组织或其上级组织可以通过或退回方案；提交方案的组织本身不能审批。修改后对待审批的方案立即生效。',
    level: {
      parent: '直接上一级组织（默认）',
      town: '所属镇（街道）团委',
      district: '团区委',
    },
    readOnly: '仅团区委管理员可以修改',
    saved: '审批层级已保存',
  },
  inbox: {
    title: '我的召集令',
    hello: '{{name}}，以下是发给你的召集令',
    empty: '暂时没有正在报名的召集令',
    from: '发布：{{org}}',
    time: '时间：{{start}} – {{end}}',
    venue: '地点：{{venue}}',
    closes: '报名截止：{{time}}',
    placesLeft: '剩余名额 {{count}}',
    full: '名额已满，可报名候补',
    signup: '去报名',
    signedUp: '已报名',
    withdrawn: '报名二维码已停用',
    expires: '本链接有效期至 {{time}}，仅限本人使用，请勿转发。',
    invalid: '链接无效',
  },
};
