using Booking.BuildingBlocks.Phones;
using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Sms;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Phone;

/// <summary>
/// For the code pages: the number an attempt's code went to, masked in the business's way of writing it ("(•••) •••-•188",
/// <see cref="PhoneDisplay.Mask"/>), so the client can see a mistyped
/// number; null for an unknown or already verified attempt. Without <paramref name="ClientId"/> a phone sign-in's
/// attempt (no client bound to it); with it, that signed-in client's attempt to prove a mobile (Your details), never
/// another's. Masked, not in full: the attempt id travels in the page's address.
/// </summary>
public sealed record GetPhoneCodeTarget(string? AttemptId, Guid? ClientId = null) : IQuery<string?>;

public sealed class GetPhoneCodeTargetHandler(PortalAuthDbContext db, ITenantContext tenant) : IQueryHandler<GetPhoneCodeTarget, string?>
{
    public async ValueTask<string?> Handle(GetPhoneCodeTarget query, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(query.AttemptId, out var id))
        {
            return null;
        }

        var mobile = await db.Attempts.AsNoTracking()
            .Where(a => a.Id == id && a.ClientId == query.ClientId && a.VerifiedAt == null)
            .Select(a => a.Mobile)
            .FirstOrDefaultAsync(cancellationToken);
        return mobile is null ? null : PhoneDisplay.Mask(mobile, tenant.Current?.CountryCode);
    }
}

/// <summary>What became of the text carrying an attempt's latest code, as its record says (<c>texts</c>, written once its tries are over).</summary>
public enum CodeTextOutcome
{
    /// <summary>No record yet: on its way (or sent by a version that kept none).</summary>
    OnItsWay,

    Sent,

    /// <summary>Given up after its tries (the carrier failed for now, or something else went wrong): a new code may get through.</summary>
    FailedForNow,

    /// <summary>The carrier refused it for good (an invalid number, say): a new code to the number fails the same way.</summary>
    FailedForGood,
}

/// <summary>Why an attempt's code no longer works, where it does not.</summary>
public enum CodeEnd
{
    /// <summary>The code still works.</summary>
    None,

    /// <summary>The code's own lifetime is over; the attempt still takes a new code.</summary>
    Expired,

    /// <summary>The right code was given: the attempt is used.</summary>
    Used,

    /// <summary>Too many wrong codes were given.</summary>
    TooManyWrongCodes,

    /// <summary>The attempt itself is over (<see cref="PortalAuthOptions.AttemptLifetime"/>): start again.</summary>
    AttemptOver,
}

/// <param name="SentTo">The number, masked as <see cref="GetPhoneCodeTarget"/> answers it; null once the attempt is used.</param>
/// <param name="Text">What became of the latest code's text.</param>
/// <param name="End">Why the code no longer works (<see cref="CodeEnd.None"/> while it does).</param>
/// <param name="CanResend">Whether the attempt takes a new code (the cooldown and hourly limits aside): live, and its text not refused for good.</param>
public sealed record PhoneCodeState(string? SentTo, CodeTextOutcome Text, CodeEnd End, bool CanResend);

/// <summary>
/// For the code pages (decision 344): the attempt as the client may know it, since it is their own (its id is in their
/// page's address): where the code went (masked), whether its text could be sent, and why a code no longer works. Null
/// for an unknown attempt. Scoped as <see cref="GetPhoneCodeTarget"/>: without <paramref name="ClientId"/> a phone
/// sign-in's attempt, with it that client's own attempt to prove a mobile.
/// </summary>
public sealed record GetPhoneCodeState(string? AttemptId, Guid? ClientId = null) : IQuery<PhoneCodeState?>;

public sealed class GetPhoneCodeStateHandler(PortalAuthDbContext db, ITenantContext tenant, PortalAuthOptions options, TimeProvider clock)
    : IQueryHandler<GetPhoneCodeState, PhoneCodeState?>
{
    public async ValueTask<PhoneCodeState?> Handle(GetPhoneCodeState query, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(query.AttemptId, out var id))
        {
            return null;
        }

        var attempt = await db.Attempts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.ClientId == query.ClientId, cancellationToken);
        if (attempt is null)
        {
            return null;
        }

        // The code's text is recorded by SmsDispatcher once its tries are over, created at the moment the code was
        // issued (the attempt's CodeSentAt, the same value), so the latest code's record is found by number and time.
        var record = await db.Texts.AsNoTracking()
            .Where(t => t.To == attempt.Mobile && t.CreatedAt == attempt.CodeSentAt && t.EventId == null)
            .OrderByDescending(t => t.Id)
            .Select(t => new { t.Kind, t.Status, t.Permanent })
            .ToListAsync(cancellationToken);
        var latest = record.FirstOrDefault(t => TextKinds.IsCode(t.Kind));
        var text = latest switch
        {
            null => CodeTextOutcome.OnItsWay,
            { Status: TextStatuses.Sent } => CodeTextOutcome.Sent,
            { Permanent: true } => CodeTextOutcome.FailedForGood,
            _ => CodeTextOutcome.FailedForNow,
        };

        var now = clock.GetUtcNow();
        var end = attempt switch
        {
            { VerifiedAt: not null } => CodeEnd.Used,
            _ when attempt.WrongCodes >= options.MaxWrongCodes => CodeEnd.TooManyWrongCodes,
            _ when now > attempt.CreatedAt + options.AttemptLifetime => CodeEnd.AttemptOver,
            _ when now > attempt.CodeExpiresAt => CodeEnd.Expired,
            _ => CodeEnd.None,
        };

        var sentTo = attempt.VerifiedAt is null ? PhoneDisplay.Mask(attempt.Mobile, tenant.Current?.CountryCode) : null;
        return new PhoneCodeState(sentTo, text, end, end is CodeEnd.None or CodeEnd.Expired && text != CodeTextOutcome.FailedForGood);
    }
}
