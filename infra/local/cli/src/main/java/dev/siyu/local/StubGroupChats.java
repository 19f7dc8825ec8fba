package dev.siyu.local;

import dev.siyu.sim.GroupChats;
import dev.siyu.stack.wecom.StubGroups;

/** The demo's simulated people acting in the stack's WeCom stub's customer groups. */
final class StubGroupChats {
    private StubGroupChats() {
    }

    static GroupChats of(StubGroups groups) {
        return new GroupChats() {
            @Override
            public void create(String chatId, String name, String owner) {
                groups.createGroup(chatId, name, owner);
            }

            @Override
            public void join(String chatId, String externalUserId, int joinScene) {
                groups.join(chatId, externalUserId, joinScene);
            }

            @Override
            public void leave(String chatId, String externalUserId) {
                groups.leave(chatId, externalUserId);
            }

            @Override
            public String chatOfQr(String link) {
                return groups.chatOfQr(link);
            }
        };
    }
}
