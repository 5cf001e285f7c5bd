using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Booking.PortalAuth.Sms;

/// <summary>
/// Tells a client with no email (the phone new-client flow makes the email optional) what Notifications' emails tell
/// everyone else, by SMS to their mobile; a client with an email gets only the email. Also sends a notice to one given
/// number (<see cref="SendOnceToAsync"/>: the old number, after staff changed a client's mobile). The recipient is read
/// first: with nobody to text (the client has an email, or no mobile) the event is passed over with that one read, no
/// transaction and no processed mark, since a repeat delivery has nothing to repeat either; most clients have an email, so
/// this is what almost every booking costs here. With someone to text, one text per event and consumer: the processed mark
/// is inserted in a transaction that stays open while the text is sent, so a second delivery at the same moment waits on
/// the mark's unique key and then fails (its retry finds the mark), and a failed send rolls the mark back so the event's
/// retry sends again. A number outside the countries the business texts to (<see cref="SmsCountryRule"/>, the rule its
/// one-time codes follow) is not texted: the event is passed over as with nobody to text, and the log says so, naming the
/// countries; there is no record of texts for staff to read.
/// </summary>
public sealed class PhoneOnlyClientSms(PortalAuthDbContext db, ISmsSender sms, ITenantContext tenant, PublicOrigin origin, SmsCountryRule countryRule, ILogger<PhoneOnlyClientSms> logger)
{
    /// <summary>
    /// Sends <paramref name="text"/>'s answer (given the business and its portal's addresses) once for this event, only
    /// when the client has a mobile and no email.
    /// </summary>
    public Task SendOnceAsync(
        Guid eventId,
        string consumer,
        Guid clientId,
        Func<TenantInfo, PortalLinks, CancellationToken, ValueTask<string>> text,
        CancellationToken cancellationToken) =>
        OnceAsync(eventId, consumer, async ct =>
        {
            var client = await db.Clients.AsNoTracking()
                .Where(c => c.Id == clientId)
                .Select(c => new { c.Email, c.Mobile })
                .FirstOrDefaultAsync(ct);
            return client is { Mobile: { Length: > 0 } mobile } && string.IsNullOrWhiteSpace(client.Email) ? mobile : null;
        }, text, cancellationToken);

    /// <summary>
    /// Sends <paramref name="text"/>'s answer once for this event to <paramref name="to"/>, whoever's number it is now
    /// (a notice to a number that was the client's until a change).
    /// </summary>
    public Task SendOnceToAsync(
        Guid eventId,
        string consumer,
        string to,
        Func<TenantInfo, PortalLinks, CancellationToken, ValueTask<string>> text,
        CancellationToken cancellationToken) =>
        OnceAsync(eventId, consumer, _ => Task.FromResult<string?>(to), text, cancellationToken);

    private async Task OnceAsync(
        Guid eventId,
        string consumer,
        Func<CancellationToken, Task<string?>> recipient,
        Func<TenantInfo, PortalLinks, CancellationToken, ValueTask<string>> text,
        CancellationToken cancellationToken)
    {
        if (await recipient(cancellationToken) is not { } to)
        {
            return;
        }

        if (await countryRule.CheckAsync(to, cancellationToken) is { Allowed: false } verdict)
        {
            logger.LogWarning("Text for {Consumer} to the number ending {Ending} not sent: the number is outside the countries business {TenantSlug} texts to ({Countries})",
                consumer, to.Length > 3 ? to[^3..] : to, tenant.Current!.Slug, verdict.CountryNames);
            return;
        }

        // No savepoint before the mark's save (a round trip each way): a failed save leaves the transaction to roll back.
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (!await db.TryMarkProcessedAsync(eventId, consumer, cancellationToken))
            {
                return;
            }

            await db.SaveChangesAsync(cancellationToken);
            var business = tenant.Current!;
            await sms.SendAsync(to, await text(business, new PortalLinks(origin.Value, business.Slug), cancellationToken), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
        }
    }
}

/// <summary>The business's portal pages a text may link: the booking URL, the client's appointments and one appointment's cancel page.</summary>
public sealed record PortalLinks(string Origin, string Slug)
{
    public string Book => PortalAddresses.Book(Origin, Slug);

    /// <summary>"Your appointments: …" links the list itself (signed out, it asks for sign-in and comes back), as the emails do.</summary>
    public string Appointments => PortalAddresses.Appointments(Origin, Slug);

    public string Cancel(Guid appointmentId) => PortalAddresses.Cancel(Origin, Slug, appointmentId);
}
