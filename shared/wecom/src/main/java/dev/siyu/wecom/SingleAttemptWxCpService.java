package dev.siyu.wecom;

import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.common.util.http.RequestExecutor;
import me.chanjar.weixin.cp.api.impl.WxCpServiceImpl;

/**
 * WxCpServiceImpl making exactly one attempt per request, so {@link WxJavaWeComApi}'s policy is
 * the only retry policy. WxJava's own execute() retries -1 with sleeps of 1 s, 2 s, 4 s... (far
 * past WeCom's 5 s callback deadline) and refreshes the token on 40001/40014/42001 itself; and
 * setMaxRetryTimes(0) is no way out, because then execute() turns EVERY error, 41051 included,
 * into a WxRuntimeException("超出重试次数") that has lost the errcode.
 */
final class SingleAttemptWxCpService extends WxCpServiceImpl {

    @Override
    public <T, E> T execute(RequestExecutor<T, E> executor, String uri, E data) throws WxErrorException {
        // doNotAutoRefresh=true: on a token errcode WxJava still marks the token expired, then throws.
        return executeInternal(executor, uri, data, true);
    }
}
