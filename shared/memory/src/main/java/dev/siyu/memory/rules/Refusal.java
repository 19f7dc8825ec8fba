package dev.siyu.memory.rules;

/** What WeCom answers when it refuses a call: its errcode and errmsg. */
public record Refusal(int errcode, String errmsg) {
}
