using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Microsoft.Extensions.Configuration;

namespace Booking.PortalAuth.Sms;

/// <summary>Sends one text. Adapters: the development outbox and a Twilio-shaped carrier API (configuration "Sms:Adapter").</summary>
public interface ISmsSender
{
    Task<string> SendAsync(string to, string body, CancellationToken cancellationToken);
}

/// <summary>Which adapter sends texts: "Sms:Adapter" = "twilio" for the carrier API, anything else the development outbox.</summary>
public static class SmsAdapter
{
    /// <summary>True when texts leave through the carrier (so nothing shows on /dev/sms, and pages say nothing of it).</summary>
    public static bool UsesCarrier(IConfiguration configuration) =>
        string.Equals(configuration["Sms:Adapter"], "twilio", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A carrier refused or failed a message. Transient ones (429, 5xx, network) are worth another try. <see cref="Permanent"/>:
/// the carrier refused this message to this number for good (an invalid or unreachable number, Twilio's 400 21211 and
/// the like), so a text to it fails the same way however often it is sent; stored on the text's record
/// (<c>texts.permanent</c>, decision 348). A refusal about our own account (bad credentials, a wrong account, no
/// permission) is not transient either, but is not the number's: a fixed configuration sends to it.
/// </summary>
public sealed class SmsSendException(string message, int? status, int? carrierCode, bool transient, TimeSpan? retryAfter = null, bool permanent = false) : Exception(message)
{
    public bool Permanent { get; } = permanent && !transient;

    public int? Status { get; } = status;

    public int? CarrierCode { get; } = carrierCode;

    public bool Transient { get; } = transient;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>Development and tests: the text is stored and shown on /dev/sms instead of leaving the machine.</summary>
public sealed class OutboxSmsSender(PortalAuthDbContext db, ITenantContext tenant, TimeProvider clock) : ISmsSender
{
    public async Task<string> SendAsync(string to, string body, CancellationToken cancellationToken)
    {
        var sms = new DevSms { Id = Guid.CreateVersion7(), Tenant = tenant.Current?.Slug ?? "", To = to, Body = body, SentAt = clock.GetUtcNow() };
        db.DevSms.Add(sms);
        await db.SaveChangesAsync(cancellationToken);
        return sms.Id.ToString();
    }
}
