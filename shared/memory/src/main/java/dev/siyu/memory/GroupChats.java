package dev.siyu.memory;

/**
 * The customer groups of the simulated WeCom (the in-memory API's or the stack's stub's): what the simulated
 * people do in them. The engine learns of it only as WeCom tells it: a change_external_chat callback, after
 * which it asks groupchat/get.
 */
public interface GroupChats {
    void create(String chatId, String name, String owner);

    /** joinScene as WeCom reports it: 3 for a join through the group's QR code (an invite's join way). */
    void join(String chatId, String externalUserId, int joinScene);

    void leave(String chatId, String externalUserId);

    /** The group a join way's QR code leads to, or null when the link is no join way's. */
    String chatOfQr(String link);
}
