using System.Threading.Channels;
using Booking.BuildingBlocks.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Booking.PortalAuth.Sms;

/// <summary>A code's text waiting to go: About and QueuedAt are for its record (the body, holding the code, is never kept).</summary>
public sealed record QueuedSms(Guid TenantId, string To, string Body, TextAbout? About = null, DateTimeOffset? QueuedAt = null);

/// <summary>
/// Sign-in codes go out from memory, right after the attempt is committed: the plain code is never written to
/// a job store, and no job-queue polling delays it. A code lost to a crash is replaced by a resend. Once its tries are
/// over, the dispatcher records the text, sent or failed, without its body (<see cref="TextLog.CodeAsync"/>, decision 252).
/// </summary>
public sealed class SmsQueue
{
    private readonly Channel<QueuedSms> channel = Channel.CreateBounded<QueuedSms>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });

    public void Enqueue(QueuedSms sms) => channel.Writer.TryWrite(sms);

    internal ChannelReader<QueuedSms> Reader => channel.Reader;
}

public sealed class SmsDispatcher(SmsQueue queue, IServiceScopeFactory scopes, ILogger<SmsDispatcher> logger) : BackgroundService
{
    private const int Workers = 4;
    private const int Tries = 3;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var sms in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await SendAsync(sms, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(QueuedSms sms, CancellationToken stoppingToken)
    {
        for (var attempt = 1; attempt <= Tries; attempt++)
        {
            try
            {
                await using var scope = await TenantScope.OpenAsync(scopes, sms.TenantId, stoppingToken);
                var carrierId = await scope.ServiceProvider.GetRequiredService<ISmsSender>().SendAsync(sms.To, sms.Body, stoppingToken);
                await RecordAsync(sms, attempt, carrierId, null, stoppingToken);
                return;
            }
            catch (SmsSendException ex) when (ex.Transient && attempt < Tries)
            {
                logger.LogWarning("SMS to {Tail} failed, retrying: {Error}", Tail(sms.To), ex.Message);
                await Task.Delay(ex.RetryAfter is { } wait && wait < TimeSpan.FromSeconds(10) ? wait : TimeSpan.FromSeconds(attempt), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "SMS to {Tail} was not sent", Tail(sms.To));
                await RecordAsync(sms, attempt, null, ex, stoppingToken);
                return;
            }
        }
    }

    /// <summary>The code's text in the business's record of texts; a record that cannot be written is logged, never retried as a send.</summary>
    private async Task RecordAsync(QueuedSms sms, int attempts, string? carrierId, Exception? error, CancellationToken stoppingToken)
    {
        if (sms.About is not { } about)
        {
            return;
        }

        try
        {
            await using var scope = await TenantScope.OpenAsync(scopes, sms.TenantId, stoppingToken);
            await scope.ServiceProvider.GetRequiredService<TextLog>().CodeAsync(about, sms.To, sms.QueuedAt ?? DateTimeOffset.UtcNow, attempts, carrierId, error, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The code text to {Tail} was not recorded", Tail(sms.To));
        }
    }

    private static string Tail(string phone) => phone.Length > 3 ? "…" + phone[^3..] : phone;
}
