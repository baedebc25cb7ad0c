// placeholder: the real handler is being written
export const handler = async () => ({ statusCode: 501 });
