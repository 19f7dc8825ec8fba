package dev.siyu.wecom;

import dev.siyu.core.port.WeComApi;
import me.chanjar.weixin.cp.bean.external.msg.Attachment;
import me.chanjar.weixin.cp.bean.external.msg.Image;
import me.chanjar.weixin.cp.bean.external.msg.Link;
import me.chanjar.weixin.cp.bean.external.msg.MiniProgram;

/**
 * The port's one-attachment shape as WeCom's message-task attachment: an image by its uploaded
 * {@code media_id} (or, without one, {@code pic_url} = the url, which WeCom takes only from
 * {@code media/uploadimg}), a link card (title + url) or a Mini Program card (title, {@code page} = the
 * url, the configured AppID, and the cover {@code pic_media_id} WeCom requires: a temporary media id the
 * engine uploads and keeps fresh, see dev.siyu.core.media.CardMedia). Source: 创建企业群发,
 * https://developer.work.weixin.qq.com/document/path/92135.
 */
final class WxAttachments {

    private WxAttachments() {
    }

    static Attachment of(WeComApi.Attachment a, WeComSettings settings) {
        if (a.kind() == null) {
            throw new IllegalArgumentException("attachment kind is required: image, link or miniprogram");
        }
        Attachment out = new Attachment();
        switch (a.kind()) {
            case "image": {
                Image image = new Image();
                if (a.mediaId() != null && !a.mediaId().isBlank()) {
                    image.setMediaId(a.mediaId());
                } else {
                    requireText(a.url(), "attachment url");
                    image.setPicUrl(a.url());
                }
                out.setImage(image);
                return out;
            }
            case "link": {
                requireText(a.url(), "attachment url");
                requireText(a.title(), "link title");
                Link link = new Link();
                link.setTitle(a.title());
                link.setUrl(a.url());
                out.setLink(link);
                return out;
            }
            case "miniprogram": {
                requireText(a.url(), "attachment url");
                requireText(a.title(), "miniprogram title");
                // Without pic_media_id WeCom refuses the task; failing here says why before a call is spent.
                requireText(a.mediaId(), "miniprogram pic_media_id (upload the cover first)");
                MiniProgram mp = new MiniProgram();
                mp.setTitle(a.title());
                mp.setPicMediaId(a.mediaId());
                mp.setPage(a.url());
                mp.setAppid(settings.miniProgramAppIdOrLocal());
                out.setMiniProgram(mp);
                return out;
            }
            default:
                throw new IllegalArgumentException("attachment kind must be image, link or miniprogram, was '"
                        + a.kind() + "'");
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
