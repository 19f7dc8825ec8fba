package dev.siyu.core.miniapp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** sendMessage.html's keyword rules, kind by kind, and values made to fit them. */
class SubscriptionKeywordTest {
    private static boolean takes(String key, String value) {
        return SubscriptionKeyword.of(key).orElseThrow().accepts(value);
    }

    @Test
    void eachKindTakesOnlyWhatWeChatTakes() {
        assertThat(takes("thing1", "12345678901234567890")).isTrue();
        assertThat(takes("thing1", "123456789012345678901")).as("21 characters").isFalse();
        assertThat(takes("name2", "张三")).isTrue();
        assertThat(takes("name2", "欧阳张三李四王五赵六钱")).as("11 Chinese characters").isFalse();
        assertThat(takes("name2", "Alexandra Smithfield")).as("20 letters").isTrue();
        assertThat(takes("name2", "Li 3")).as("a digit").isFalse();
        assertThat(takes("phrase3", "配送中")).isTrue();
        assertThat(takes("phrase3", "正在配送中了")).as("6 characters").isFalse();
        assertThat(takes("phrase3", "ok")).as("letters").isFalse();
        assertThat(takes("number4", "339208499.5")).isTrue();
        assertThat(takes("number4", "1".repeat(33))).isFalse();
        assertThat(takes("letter5", "abc")).isTrue();
        assertThat(takes("letter5", "abc1")).isFalse();
        assertThat(takes("character_string6", "ORD-2026-0001")).isTrue();
        assertThat(takes("character_string6", "订单")).isFalse();
        assertThat(takes("phone_number7", "+86-0766-66888866")).isTrue();
        assertThat(takes("phone_number7", "+86-0766-668888661")).as("18").isFalse();
        assertThat(takes("date8", "2026-06-01")).isTrue();
        assertThat(takes("date8", "2019年10月1日 15:01")).isTrue();
        assertThat(takes("date8", "tomorrow")).isFalse();
        assertThat(takes("time9", "15:01")).isTrue();
        assertThat(takes("time9", "2026-06-01 15:01 ~ 2026-06-01 16:00")).isTrue();
        assertThat(takes("time9", "2026-06-01")).as("no time of day").isFalse();
        assertThat(takes("amount10", "¥128.50")).isTrue();
        assertThat(takes("amount10", "128元")).isTrue();
        assertThat(takes("amount10", "about 128")).isFalse();
        assertThat(takes("car_number11", "粤A8Z888挂")).isTrue();
        assertThat(SubscriptionKeyword.of("title")).isEmpty();
    }

    @Test
    void aThingIsCutAndANameKeepsWhatANameMayHold() {
        assertThat(SubscriptionKeyword.THING.fit("a".repeat(30))).isEqualTo("a".repeat(19) + "…");
        assertThat(SubscriptionKeyword.NAME.fit("王小明2")).isEqualTo("王小明");
        assertThat(SubscriptionKeyword.NAME.fit("欧阳张三李四王五赵六钱孙")).isEqualTo("欧阳张三李四王五赵六");
        assertThat(SubscriptionKeyword.NAME.accepts(SubscriptionKeyword.NAME.fit("Wang Xiaoming the 3rd")))
                .isTrue();
    }
}
