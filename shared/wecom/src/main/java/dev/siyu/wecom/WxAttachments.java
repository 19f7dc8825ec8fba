package dev.siyu.wecom;

import dev.siyu.core.port.WeComApi;
import me.chanjar.weixin.cp.bean.external.msg.Attachment;
import me.chanjar.weixin.cp.bean.external.msg.Image;
import me.chanjar.weixin.cp.bean.external.msg.Link;
import me.chanjar.weixin.cp.bean.external.msg.MiniProgram;

/**
 * The port's one-attachment shape as WeCom's message-task attachment: an image by URL
 * ({@code pic_url}), a link card (title + url) or a Mini Program card (title, {@code page} = the
 * url, the configured AppID).
 *
 * <p>Gap, on purpose not papered over: WeCom requires a cover {@code pic_media_id} on Mini Program
 * cards, a temporary media id (valid 3 days) from {@code media/upload}. The suite does not upload
 * media yet, so against WeCom itself such a card is refused and surfaces as a WeComApiException.
 */
final class WxAttachments {

    private WxAttachments() {
    }

    static Attachment of(WeComApi.Attachment a, WeComSettings settings) {
        if (a.kind() == null) {
            throw new IllegalArgumentException("attachment kind is required: image, link or miniprogram");
        }
        requireText(a.url(), "attachment url");
        Attachment out = new Attachment();
        switch (a.kind()) {
            case "image": {
                Image image = new Image();
                image.setPicUrl(a.url());
                out.setImage(image);
                return out;
            }
            case "link": {
                requireText(a.title(), "link title");
                Link link = new Link();
                link.setTitle(a.title());
                link.setUrl(a.url());
                out.setLink(link);
                return out;
            }
            case "miniprogram": {
                requireText(a.title(), "miniprogram title");
                MiniProgram mp = new MiniProgram();
                mp.setTitle(a.title());
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
