/** 图形验证码 (web/src/features/captcha) and the QR page's extras: location suggestion, one-tap confirm. */
export const captchaZhCN = {
  label: '图形验证码',
  placeholder: '输入图中字符',
  alt: '图形验证码，点击换一张',
  refresh: '换一张',
  loadFailed: '加载失败',
  hint: '尝试次数较多，请输入图中的字符（不区分大小写）',
  required: '请输入图形验证码',
};

export const registerMoreZhCN = {
  locate: '用我的位置推荐网格',
  locating: '正在获取位置…',
  locateDenied: '无法获取位置（未授权或不支持），请直接填写',
  locateNone: '附近 500 米内没有本组织的网格，将登记到本组织',
  suggestion: '您似乎在“{{grid}}”（{{org}}），在该网格报到？',
  suggestionNear: '离您最近的网格是“{{grid}}”（{{org}}，约 {{meters}} 米），在该网格报到？',
  useSuggestion: '在该网格报到',
  dismiss: '不用了',
  chosenGrid: '报到网格：{{grid}}',
  clearGrid: '改为登记到本组织',
  known: {
    open: '已在青年名册中登记过？一键确认',
    title: '一键确认',
    intro: '填写手机号和身份证号（或出生日期），确认是您本人后即可加入，无需重新填表。',
    find: '查找我的登记',
    found: '找到您的登记：{{name}}',
    alreadyHere: '您已在本网格登记，无需重复报到。',
    notFound: '没有找到一致的登记，请填写下方报到表单（已为您带入手机号）。',
    confirm: '是我，同意隐私告知并加入“{{place}}”',
    cancel: '返回填写表单',
  },
};
