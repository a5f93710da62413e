// Vite turns imported images into URLs of bundled files.
declare module '*.png' {
  const url: string;
  export default url;
}

// `?url`: the URL of the file emitted as is.
declare module '*?url' {
  const url: string;
  export default url;
}
