import { defineMessages } from "../../i18n/define-messages.js";

export const productMessages = defineMessages(
  {
    "product.notFound": "No product with id {id} was found.",
    "product.invalidPrice": "{field} must be at least 1 fen, but was {value}.",
    "product.invalidStock": "{field} must be a whole number from 0 to {max}, but was {value}.",
    "product.tooManyItems": "{field} may have at most {max} entries, but has {count}.",
    "product.duplicateAttribute": "{field}: the key {key} appears more than once; keys must be unique.",
    "product.pictureChoice": "{field}: give either an upload or a URL, not both and not neither.",
    "product.pictureTooLarge": "{field}: the picture has {size} bytes; the limit is {max} bytes (2 MB).",
    "product.pictureType": "{field}: the file is not a JPEG, PNG, WebP or GIF picture.",
    "product.pictureEncoding": "{field} must be the picture's bytes in base64.",
    "product.pictureUrl": "{field}: {value} is not an http(s) URL of at most {max} characters.",
  },
  {
    "product.notFound": "未找到 id 为 {id} 的商品。",
    "product.invalidPrice": "{field} 至少为 1 分，当前为 {value}。",
    "product.invalidStock": "{field} 必须是 0 到 {max} 之间的整数，当前为 {value}。",
    "product.tooManyItems": "{field} 最多 {max} 项，当前为 {count} 项。",
    "product.duplicateAttribute": "{field}：键 {key} 出现了多次，键不能重复。",
    "product.pictureChoice": "{field}：请提供上传的图片或图片 URL 之一，不能两者都给，也不能都不给。",
    "product.pictureTooLarge": "{field}：图片大小为 {size} 字节，上限为 {max} 字节（2 MB）。",
    "product.pictureType": "{field}：文件不是 JPEG、PNG、WebP 或 GIF 图片。",
    "product.pictureEncoding": "{field} 必须是图片内容的 base64 编码。",
    "product.pictureUrl": "{field}：{value} 不是长度不超过 {max} 个字符的 http(s) URL。",
  },
);
