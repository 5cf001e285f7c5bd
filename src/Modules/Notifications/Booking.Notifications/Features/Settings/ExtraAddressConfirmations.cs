using System.Security.Cryptography;
using System.Text;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Rendering;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Features.Settings;

/// <summary>
/// An extra address as staff see it: <c>state</c> is confirmed, waiting (for confirmation), declined or unsubscribed
/// (<c>unsubscribedAt</c>: when its person used the unsubscribe link of one of the business's emails).
/// </summary>
public sealed record ExtraAddressState(string Address, string State, bool Confirmed, DateTimeOffset? ConfirmationSentAt, DateTimeOffset? UnsubscribedAt = null);

/// <summary>Staff's "Send again" next to an address waiting for confirmation.</summary>
public sealed record ResendAddressConfirmation(string? Address) : ICommand<ExtraAddressState>;

/// <summary>The link's page: the address a usable token is for, or null (expired, used, replaced, forged, another business's).</summary>
public sealed record ReadAddressConfirmation(string? Token) : IQuery<ConfirmationLink?>;

/// <summary>A usable link's address, and whether its email asked about it as a diary's contact (the page says so too).</summary>
public sealed record ConfirmationLink(string Address, bool ForDiaryContact);

/// <summary>The link's page's buttons: yes (confirm) or no (decline). False when the token is not usable.</summary>
public sealed record AnswerAddressConfirmation(string? Token, bool Confirm) : ICommand<bool>;

/// <summary>
/// The one email an extra address gets before its person agrees: our own words (the business's name is the only
/// thing the business wrote), saying who added the address and that ignoring it means nothing more is sent.
/// </summary>
public static class ConfirmationTexts
{
    public static readonly (string Subject, string Body) Confirm = (
        "Do you want booking emails from {BusinessName}?",
        "Hello,\n\n{BusinessName}, a business that takes bookings through our booking system, added this email address to "
        + "the addresses it sends an email to about each new booking.\n\nWe will only send these emails if you say yes. "
        + "To say yes, or to ask us never to send them, open this link (it works for 7 days):\n{ResetUrl}\n\n"
        + "If you don't know {BusinessName} or don't want these emails, ignore this message: nothing more will be sent to this "
        + "address unless you say yes.");

    /// <summary>The same ask for a diary's contact email: the address a diary's bookings and requests are emailed to.</summary>
    public static readonly (string Subject, string Body) DiaryContact = (
        "Do you want booking emails from {BusinessName}?",
        "Hello,\n\n{BusinessName}, a business that takes bookings through our booking system, made this email address the "
        + "contact for one of its diaries: the address it emails about that diary's bookings, cancellations and booking "
        + "requests.\n\nWe will only send these emails if you say yes. "
        + "To say yes, or to ask us never to send them, open this link (it works for 7 days):\n{ResetUrl}\n\n"
        + "If you don't know {BusinessName} or don't want these emails, ignore this message: nothing more will be sent to this "
        + "address unless you say yes.");
}

/// <summary>Tokens of confirmation links: 32 random bytes, the row keeps only their SHA-256.</summary>
public static class ConfirmationTokens
{
    public static string New() => Base64UrlNoPadding(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The page's address of a link.</summary>
    public static string Url(string origin, string slug, string token) =>
        $"{origin}/staff/confirm-address?name={Uri.EscapeDataString(slug)}&token={Uri.EscapeDataString(token)}";

    private static string Base64UrlNoPadding(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// Stages a confirmation email for an address (a fresh token on its row, the message in the same unit of work), within
/// the limits: <see cref="AddressConfirmation.MaxSendsPerAddressPerDay"/> per address and
/// <see cref="AddressConfirmation.MaxSendsPerBusinessPerDay"/> per business in 24 hours, counted from the messages
/// themselves (both kinds of confirmation together). The caller runs it inside a transaction: the business's
/// confirmations are counted under an advisory lock held until that transaction ends, so two requests at the same
/// instant count each other (the second counts once the first has committed or rolled back). The caller saves and
/// commits, then enqueues what was staged.
/// </summary>
public sealed class ConfirmationMailer(NotificationsDbContext db, INotificationFacts facts, PublicOrigin origin, IDataProtectionProvider protection,
    ITenantContext tenant, TimeProvider clock)
{
    public sealed record Refusal(int RetryAfterSeconds, string Detail);

    /// <summary>
    /// Null when staged; else why not (a limit reached). <paramref name="alreadyStaged"/>: staged in this unit, not yet
    /// saved. <paramref name="forDiaryContact"/>: the email asks about the address as a diary's contact.
    /// </summary>
    public async Task<Refusal?> StageAsync(AddressConfirmation row, List<OutboundMessage> alreadyStaged, CancellationToken cancellationToken, bool forDiaryContact = false)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Confirmation emails are counted and staged inside a transaction (the count's lock lasts until it ends).");
        }

        await db.Database.LockForTransactionAsync($"address-confirmations:{tenant.TenantId!.Value}", cancellationToken);
        // To PostgreSQL's microseconds: the answer shows confirmationSentAt as a later read of the row will.
        var utc = clock.GetUtcNow();
        var now = utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMicrosecond));
        var since = now.AddDays(-1);
        var kinds = MessageKinds.AddressConfirmations.ToList();
        var toAddress = await db.Messages.Where(m => kinds.Contains(m.Kind) && m.Recipient == row.Address && m.CreatedAt > since)
            .OrderBy(m => m.CreatedAt).Select(m => m.CreatedAt).ToListAsync(cancellationToken);
        if (toAddress.Count >= AddressConfirmation.MaxSendsPerAddressPerDay)
        {
            return new Refusal(RetryAfter(toAddress[0], now),
                $"At most {AddressConfirmation.MaxSendsPerAddressPerDay} confirmation emails go to one address in 24 hours. Try again later.");
        }

        var fromBusiness = await db.Messages.CountAsync(m => kinds.Contains(m.Kind) && m.CreatedAt > since, cancellationToken) + alreadyStaged.Count;
        if (fromBusiness >= AddressConfirmation.MaxSendsPerBusinessPerDay)
        {
            var oldest = await db.Messages.Where(m => kinds.Contains(m.Kind) && m.CreatedAt > since).MinAsync(m => (DateTimeOffset?)m.CreatedAt, cancellationToken);
            return new Refusal(RetryAfter(oldest ?? now, now),
                $"At most {AddressConfirmation.MaxSendsPerBusinessPerDay} confirmation emails go out for a business in 24 hours. Try again later.");
        }

        var token = ConfirmationTokens.New();
        row.TokenHash = ConfirmationTokens.Hash(token);
        row.TokenExpiresAt = now + AddressConfirmation.LinkLifetime;
        row.LastSentAt = now;
        row.ForDiaryContact = forDiaryContact;
        var link = ProtectedResetLinks.Protect(protection, ConfirmationTokens.Url(origin.Value, tenant.Current!.Slug, token));
        var (kind, text) = forDiaryContact
            ? (MessageKinds.DiaryContactConfirmation, ConfirmationTexts.DiaryContact)
            : (MessageKinds.ExtraAddressConfirmation, ConfirmationTexts.Confirm);
        var content = new MessageContent(text.Subject, text.Body, new Dictionary<string, string?>(StringComparer.Ordinal) { [MergeFields.ResetUrl] = link },
            new MessageAction("Yes or no", link));
        var message = new OutboundMessage
        {
            Id = Guid.CreateVersion7(),
            EventId = Guid.NewGuid(),
            Recipient = row.Address,
            Kind = kind,
            Status = MessageStatus.Queued,
            NextAttemptAt = now,
            CreatedAt = now,
            Content = content.ToJson(),
            Subject = EmailRenderer.RenderSubject(content, await facts.LookAsync(cancellationToken)),
        };
        db.Messages.Add(message);
        alreadyStaged.Add(message);
        return null;
    }

    private static int RetryAfter(DateTimeOffset oldest, DateTimeOffset now) => Math.Max(1, (int)Math.Ceiling((oldest.AddDays(1) - now).TotalSeconds));
}

/// <summary>The states of a list of addresses, in its order.</summary>
internal static class AddressStateViews
{
    public static async Task<List<ExtraAddressState>> ForAsync(NotificationsDbContext db, IReadOnlyList<string> addresses, ITenantContext tenant, CancellationToken cancellationToken)
    {
        var rows = addresses.Count == 0
            ? []
            : await db.AddressConfirmations.AsNoTracking().Where(c => addresses.Contains(c.Address)).ToListAsync(cancellationToken);
        return addresses.Select(a => From(a, rows.FirstOrDefault(r => r.Address == a), tenant)).ToList();
    }

    /// <summary>The sent time in the business's offset (the database reads it in UTC), as every instant in an answer.</summary>
    public static ExtraAddressState From(string address, AddressConfirmation? row, ITenantContext tenant) =>
        new(address, AddressStates.Of(row), row?.Confirmed == true, row?.LastSentAt is { } sent ? tenant.Local(sent) : null,
            AddressStates.Of(row) == AddressStates.Unsubscribed ? tenant.Local(row!.UnsubscribedAt!.Value) : null);
}

public sealed class ResendAddressConfirmationValidator : AbstractValidator<ResendAddressConfirmation>
{
    public ResendAddressConfirmationValidator() =>
        RuleFor(x => x.Address).Must(a => EmailAddress.IsValid(a?.Trim())).WithMessage("Enter the email address to send the confirmation to.");
}

public sealed class ResendAddressConfirmationHandler(NotificationsDbContext db, ConfirmationRequests requests, ITenantContext tenant)
    : ICommandHandler<ResendAddressConfirmation, ExtraAddressState>
{
    public async ValueTask<ExtraAddressState> Handle(ResendAddressConfirmation command, CancellationToken cancellationToken)
    {
        var address = command.Address!.Trim().ToLowerInvariant();
        var settings = await db.Settings.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        if (settings is null || !settings.ExtraAddresses.Contains(address))
        {
            throw ProblemException.Invalid("address", "This address is not one of the extra addresses.");
        }

        var (sent, row, byStaffProof) = await requests.SendAgainAsync(address, forDiaryContact: false, cancellationToken);
        if (byStaffProof)
        {
            return AddressStateViews.From(address, row, tenant); // a staff member's proven sign-in email: confirmed, no email needed
        }

        if (!sent)
        {
            throw AddressStates.Of(row) == AddressStates.Confirmed
                ? ProblemException.Invalid("address", "This address is already confirmed.")
                : ProblemException.Invalid("address", "The person at this address asked not to get these emails, so no confirmation is sent to it again.");
        }

        return AddressStateViews.From(address, row, tenant);
    }
}

/// <summary>
/// Asking an address to confirm, for either use (an extra address, a diary's contact): each ask is one transaction that
/// finds or adds the address's row and stages the email under the business's confirmation lock (<see cref="ConfirmationMailer"/>),
/// then commits and hands the email to delivery.
/// </summary>
public sealed class ConfirmationRequests(NotificationsDbContext db, ConfirmationMailer mailer, MessageQueue queue, ITenantContext tenant, TimeProvider clock,
    INotificationFacts facts)
{
    /// <summary>
    /// An address new to the business (no row): saved waiting and sent one confirmation email, within the limits (past
    /// them it is saved waiting without one, for Send again). A known address (any state) is left as it is.
    /// A diary's new contact that is the signed-in staff member's own sign-in email, not proven yet, is saved waiting
    /// with no email (decision 350): its person has the sign-up's (or Setup's) "Confirm your email" already, and using
    /// it confirms this row too (<see cref="ConfirmAddressesOfProvenStaffEmail"/>, decision 259); a second email asking
    /// the same person about the same address read as a stranger's. Send again still sends one.
    /// </summary>
    public async Task<AddressConfirmation> AskIfNewAsync(string address, bool forDiaryContact, CancellationToken cancellationToken)
    {
        // Asked before the transaction: a staff member's proven sign-in email needs no second proof (decision 251).
        var proven = (await facts.ProvenStaffEmailsAsync(cancellationToken)).Contains(address);
        var awaitsOwnProof = forDiaryContact && !proven
            && string.Equals(await facts.OwnUnprovenSignInEmailAsync(cancellationToken), address, StringComparison.Ordinal);
        var staged = new List<OutboundMessage>();
        // Two saves naming the same new address at once: the second meets the first's row in the key and, run again, finds it.
        var row = await db.RetryOnConcurrentChangeAsync(async () =>
        {
            staged.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var known = await db.AddressConfirmations.FirstOrDefaultAsync(c => c.Address == address, cancellationToken);
            if (known is not null)
            {
                if (proven && ProvenStaffEmails.Confirm(known, clock.GetUtcNow()))
                {
                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }

                return known;
            }

            var added = new AddressConfirmation { TenantId = tenant.TenantId!.Value, Address = address, AddedAt = clock.GetUtcNow() };
            db.AddressConfirmations.Add(added);
            if (proven)
            {
                ProvenStaffEmails.Confirm(added, added.AddedAt);
            }
            else if (!awaitsOwnProof)
            {
                await mailer.StageAsync(added, staged, cancellationToken, forDiaryContact);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return added;
        }, ex => ex.IsUniqueViolation());
        queue.EnqueueAll(tenant.TenantId!.Value, staged.Select(m => m.Id).ToList());
        return row;
    }

    /// <summary>
    /// Send again: a fresh link to an address waiting (or never asked), or unsubscribed (staff's "Ask again": the address
    /// stays unsubscribed, and unmailed, until its person says yes), within the limits (past them a
    /// <c>rate-limited</c> problem). A confirmed or declined address is sent nothing: <c>Sent</c> false. A waiting
    /// address that is a staff member's proven sign-in email is confirmed instead, with no email (<c>ByStaffProof</c>).
    /// </summary>
    public async Task<(bool Sent, AddressConfirmation Row, bool ByStaffProof)> SendAgainAsync(string address, bool forDiaryContact, CancellationToken cancellationToken)
    {
        var proven = (await facts.ProvenStaffEmailsAsync(cancellationToken)).Contains(address);
        var staged = new List<OutboundMessage>();
        var result = await db.RetryOnConcurrentChangeAsync(async () =>
        {
            staged.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var row = await db.AddressConfirmations.FirstOrDefaultAsync(c => c.Address == address, cancellationToken);
            if (row is null)
            {
                row = new AddressConfirmation { TenantId = tenant.TenantId!.Value, Address = address, AddedAt = clock.GetUtcNow() };
                db.AddressConfirmations.Add(row);
            }

            if (AddressStates.Of(row) is not (AddressStates.Waiting or AddressStates.Unsubscribed))
            {
                return (false, row, false);
            }

            if (proven && ProvenStaffEmails.Confirm(row, clock.GetUtcNow()))
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return (false, row, true);
            }

            if (await mailer.StageAsync(row, staged, cancellationToken, forDiaryContact) is { } refusal)
            {
                throw ProblemException.RateLimited(refusal.RetryAfterSeconds, refusal.Detail);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (true, row, false);
        }, ex => ex.IsUniqueViolation());
        queue.EnqueueAll(tenant.TenantId!.Value, staged.Select(m => m.Id).ToList());
        return result;
    }
}

/// <summary>
/// An address equal (trimmed, any case) to a sign-in email of the business's staff that its person proved (Tenancy's
/// staff email confirmation, or a used reset link) needs no second proof as a diary contact or an extra address: the
/// person who reads mail there already showed it, to this business (decision 251). Such an address, new or waiting, is
/// confirmed at once and sent no confirmation email; one its person declined or unsubscribed stays so (their own word
/// about these emails). Asked where an address is added or asked about: the settings save, a diary's new contact, Send
/// again.
/// </summary>
internal static class ProvenStaffEmails
{
    /// <summary>Confirms the row if it is new or waiting; false when its person's answer stands (confirmed, declined, unsubscribed).</summary>
    public static bool Confirm(AddressConfirmation row, DateTimeOffset now)
    {
        if (AddressStates.Of(row) != AddressStates.Waiting)
        {
            return false;
        }

        row.ConfirmedAt = now;
        row.TokenHash = null; // a link sent before is not needed any more
        row.TokenExpiresAt = null;
        return true;
    }
}

public sealed class ReadAddressConfirmationHandler(NotificationsDbContext db, TimeProvider clock) : IQueryHandler<ReadAddressConfirmation, ConfirmationLink?>
{
    public async ValueTask<ConfirmationLink?> Handle(ReadAddressConfirmation query, CancellationToken cancellationToken) =>
        await UsableRow.FindAsync(db, query.Token, clock.GetUtcNow(), tracked: false, cancellationToken) is { } row
            ? new ConfirmationLink(row.Address, row.ForDiaryContact)
            : null;
}

public sealed class AnswerAddressConfirmationHandler(NotificationsDbContext db, TimeProvider clock) : ICommandHandler<AnswerAddressConfirmation, bool>
{
    public async ValueTask<bool> Handle(AnswerAddressConfirmation command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var row = await UsableRow.FindAsync(db, command.Token, now, tracked: true, cancellationToken);
        if (row is null)
        {
            return false;
        }

        // One use: the token goes with the answer. A decline stands for good (the address is never mailed again by
        // this business); a confirmation until the business removes and re-adds nothing: the row stays confirmed.
        row.TokenHash = null;
        row.TokenExpiresAt = null;
        if (command.Confirm)
        {
            row.ConfirmedAt = now;
            row.UnsubscribedAt = null; // asked again after unsubscribing, and said yes
        }
        else
        {
            row.DeclinedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}

/// <summary>A row whose token matches, unexpired, not yet answered. The tenant filter keeps it to the link's business.</summary>
internal static class UsableRow
{
    public static async Task<AddressConfirmation?> FindAsync(NotificationsDbContext db, string? token, DateTimeOffset now, bool tracked, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200)
        {
            return null;
        }

        var hash = ConfirmationTokens.Hash(token.Trim());
        var rows = tracked ? db.AddressConfirmations : db.AddressConfirmations.AsNoTracking();
        return await rows.FirstOrDefaultAsync(
            c => c.TokenHash == hash && c.TokenExpiresAt > now && c.ConfirmedAt == null && c.DeclinedAt == null, cancellationToken);
    }
}
