import type { OutboxChannel } from '@lianxin/contracts';

/** One message as a channel sends it: the channel resolves the account's address (phone, WeCom user id) itself. */
export interface OutgoingMessage { id: string; accountId: string; body: string }

/**
 * A way to reach a person outside the app (短信 gateway, 企业微信 application). `send` resolves when the provider has
 * accepted the message and throws when it has not (the delivery job retries, then records the error).
 */
export interface MessageChannel {
  readonly name: OutboxChannel;
  send(message: OutgoingMessage): Promise<void>;
}

/**
 * The channels this server sends through. None ships configured: the zone has contracted no SMS gateway or WeCom
 * application yet, so every queued message ends `not_sent` ("未配置发送渠道") rather than looking sent. A provider is
 * added by implementing MessageChannel and registering it at boot.
 */
const registered = new Map<OutboxChannel, MessageChannel>();

export function registerChannel(channel: MessageChannel): void {
  registered.set(channel.name, channel);
}

export function unregisterChannel(name: OutboxChannel): void {
  registered.delete(name);
}

export function channelFor(name: OutboxChannel): MessageChannel | undefined {
  return registered.get(name);
}

export function configuredChannels(): OutboxChannel[] {
  return [...registered.keys()];
}

/** Where a new message goes: WeCom when configured (free, read receipts), else SMS — which a phone without WeChat gets too. */
export function preferredChannel(): OutboxChannel {
  return registered.has('wecom') ? 'wecom' : 'sms';
}
