using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Booking.PortalAuth.Sms;

/// <summary>
/// Tells a client with no email (the phone new-client flow makes the email optional) what Notifications' emails tell
/// everyone else, by SMS to their mobile; a client with an email gets only the email, unless nothing shows that email
/// reaches them and they have used their mobile (<see cref="TextChannel"/>, decision 311): then the text goes too. Also sends a notice to one given
/// number (<see cref="SendOnceToAsync"/>: the old number, after staff changed a client's mobile). The recipient is read
/// first: with nobody to text (the client has an email, or no mobile) the event is passed over with that one read, no
/// transaction and no processed mark, since a repeat delivery has nothing to repeat either; most clients have an email, so
/// this is what almost every booking costs here. With someone to text, one text per event and consumer: the processed mark
/// is inserted in a transaction that stays open while the text is sent, so a second delivery at the same moment waits on
/// the mark's unique key and then fails (its retry finds the mark), and a failed send rolls the mark back so the event's
/// retry sends again. A number outside the countries the business texts to (<see cref="SmsCountryRule"/>, the rule its
/// one-time codes follow) is not texted: the event is passed over as with nobody to text, and the log says so, naming the
/// countries. Every text that goes, fails or is refused is recorded for staff (<see cref="TextLog"/>, decision 252): a
/// sent one right after the mark's commit (a record that cannot be saved is logged, never a reason to text again); a failed one after the rollback (retrying, until <see cref="TextLog.Tries"/> sends
/// failed or the carrier refused for good: then failed, and a later delivery of the event sends nothing more).
/// </summary>
public sealed class PhoneOnlyClientSms(
    PortalAuthDbContext db, ISmsSender sms, ITenantContext tenant, PublicOrigin origin, SmsCountryRule countryRule, TextLog log, ISender sender, ILogger<PhoneOnlyClientSms> logger)
{
    /// <summary>
    /// Sends <paramref name="text"/>'s answer (given the business and its portal's addresses) once for this event, only
    /// when the client is told by text (<see cref="TextChannel.TextTo"/>): a mobile and no email, or a mobile they have
    /// used beside an email that is not known to reach them (decision 311).
    /// </summary>
    /// <param name="about">The text's kind and appointment, for its record (the client is <paramref name="clientId"/>).</param>
    /// <param name="promisedBy">
    /// The kind of the receipt text that promised this answer (a request's "you will get a text when they have decided",
    /// decision 340): where the client's channel says email only, the text still goes to the number that receipt went
    /// to while that number is the client's and proven (<see cref="TextPromises"/>). Null: the channel alone decides.
    /// </param>
    public Task SendOnceAsync(
        Guid eventId,
        string consumer,
        Guid clientId,
        TextAbout about,
        Func<TenantInfo, PortalLinks, CancellationToken, ValueTask<string>> text,
        CancellationToken cancellationToken,
        string? promisedBy = null)
    {
        // The record the text is for: the event's client, or, when that client was merged away after the event was
        // written (an event delivered after the merge), the kept client (decision 319). Its record names it.
        var recorded = about with { ClientId = clientId };
        return OnceAsync(eventId, consumer, () => recorded, async ct =>
        {
            if (await ChannelAsync(clientId, ct) is { } channel)
            {
                return await ToAsync(channel, ct);
            }

            if (await sender.Send(new FindKeptClient(clientId), ct) is not { } kept)
            {
                return null;
            }

            recorded = about with { ClientId = kept };
            return await ChannelAsync(kept, ct) is { } keptChannel ? await ToAsync(keptChannel, ct) : null;
        }, text, cancellationToken);

        async Task<string?> ToAsync(TextChannel channel, CancellationToken ct) =>
            channel.TextTo
            ?? (promisedBy is not null && about.AppointmentId is { } appointmentId && channel.MobileProven
                && await TextPromises.PromisedAsync(db, appointmentId, promisedBy, channel.Mobile!, ct)
                ? channel.Mobile
                : null);
    }

    private Task<TextChannel?> ChannelAsync(Guid clientId, CancellationToken cancellationToken) =>
        db.Clients.AsNoTracking()
            .Where(c => c.Id == clientId)
            .Select(c => new TextChannel(c.Email, c.EmailConfirmedAt != null, c.PasswordHash != null, c.Mobile, c.MobileVerified, c.MobileVouchedByStaff))
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Sends <paramref name="text"/>'s answer once for this event to <paramref name="to"/>, whoever's number it is now
    /// (a notice to a number that was the client's until a change).
    /// </summary>
    public Task SendOnceToAsync(
        Guid eventId,
        string consumer,
        string to,
        TextAbout about,
        Func<TenantInfo, PortalLinks, CancellationToken, ValueTask<string>> text,
        CancellationToken cancellationToken) =>
        OnceAsync(eventId, consumer, () => about, _ => Task.FromResult<string?>(to), text, cancellationToken);

    private async Task OnceAsync(
        Guid eventId,
        string consumer,
        Func<TextAbout> aboutOf,
        Func<CancellationToken, Task<string?>> recipient,
        Func<TenantInfo, PortalLinks, CancellationToken, ValueTask<string>> text,
        CancellationToken cancellationToken)
    {
        if (await recipient(cancellationToken) is not { } to)
        {
            return;
        }

        var about = aboutOf(); // read after the recipient: it may have named another client (a merged-away one's kept record)

        if (await countryRule.CheckAsync(to, cancellationToken) is { Allowed: false } verdict)
        {
            logger.LogWarning("Text for {Consumer} to the number ending {Ending} not sent: the number is outside the countries business {TenantSlug} texts to ({Countries})",
                consumer, to.Length > 3 ? to[^3..] : to, tenant.Current!.Slug, verdict.CountryNames);
            await log.RefusedAsync(eventId, about, to, $"Not sent: the number is not in this business's texting countries ({verdict.CountryNames}).", cancellationToken);
            return;
        }

        // Given up on an earlier delivery (the carrier refused for good, or too many tries): nothing more to send.
        var record = await log.FindAsync(eventId, about.Kind, cancellationToken);
        if (record is { Status: TextStatuses.Failed or TextStatuses.Sent })
        {
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
            var body = await text(business, new PortalLinks(origin.Value, business.Slug), cancellationToken);
            string carrierId;
            try
            {
                carrierId = await sms.SendAsync(to, body, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                if (!await GivenUpAsync(eventId, consumer, about, to, body, ex))
                {
                    throw; // the event's retry sends again
                }

                return;
            }

            await transaction.CommitAsync(cancellationToken);

            // The text went and its mark is committed: its record is written after, so a record that cannot be saved
            // never rolls the mark back into a second text to the client (it is logged instead).
            try
            {
                log.Sent(record, eventId, about, to, body, carrierId);
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (Exception recordError) when (recordError is not OperationCanceledException)
            {
                logger.LogError(recordError, "The text sent for {Consumer} was not recorded", consumer);
            }
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
        }
    }

    /// <summary>Records a failed send; true when it is given up (the event is then done), false to send again on the event's retry.</summary>
    private async Task<bool> GivenUpAsync(Guid eventId, string consumer, TextAbout about, string to, string body, Exception error)
    {
        try
        {
            if (!await log.FailedAsync(eventId, about, to, body, error, CancellationToken.None))
            {
                return false;
            }
        }
        catch (Exception recordError) when (recordError is DbUpdateException or InvalidOperationException)
        {
            logger.LogError(recordError, "The failed text for {Consumer} was not recorded", consumer);
            return false;
        }

        logger.LogWarning(error, "Text for {Consumer} to the number ending {Ending} given up", consumer, to.Length > 3 ? to[^3..] : to);
        return true;
    }
}

/// <summary>
/// Whether a client hears of their appointments by text as well as (or instead of) email (decision 311). With no email,
/// any mobile on file is texted, as before. With an email, the text goes too only when that email is not known to reach
/// the client, neither confirmed by its owner (a reset or confirm-email link, decision 262) nor the address they sign in
/// with a password (set at email registration or by a reset), while the mobile is one its holder proved with a code (verified, not staff-vouched). Not
/// <see cref="Domain.Client.MobileUsed"/> (decision 304): that is set when a code is *sent* to the number, which anyone
/// typing it on the sign-in page causes, so a staff-typed number (perhaps a typo, a stranger's) would start receiving the
/// client's appointment texts; a vouched number stays email-only here until its holder proves it.
/// That is the phone client whose record got an email staff typed (by a merge into a staff-made record, or Edit
/// details): the email may be a typo or an old address, and the mobile is how they sign in. One text per event
/// whatever the emails; a client who signs in with their email gets the email alone, so texts cost nothing more there.
/// </summary>
internal sealed record TextChannel(string? Email, bool EmailConfirmed, bool HasPassword, string? Mobile, bool MobileVerified, bool MobileVouchedByStaff)
{
    /// <summary>
    /// The mobile's holder proved it with an SMS code (sign-up by phone, Your details' proof), not staff vouching for a
    /// number they typed (decision 313 (1)); staff's <c>mobileProven</c> (decision 321).
    /// </summary>
    public bool MobileProven => Mobile is { Length: > 0 } && MobileVerified && !MobileVouchedByStaff;

    /// <summary>The number to text, or null (email only, or nobody to text).</summary>
    public string? TextTo =>
        Mobile is not { Length: > 0 } mobile ? null
        : string.IsNullOrWhiteSpace(Email) ? mobile
        : !EmailConfirmed && !HasPassword && MobileProven ? mobile
        : null;

    /// <summary>The client's channel as <see cref="PhoneOnlyClientSms.SendOnceAsync"/> reads it (staff's client answers use it).</summary>
    public static TextChannel Of(Domain.Client c) =>
        new(c.Email, c.EmailConfirmedAt != null, c.PasswordHash != null, c.Mobile, c.MobileVerified, c.MobileVouchedByStaff);
}

/// <summary>
/// Decision 340 (review s40 #3): a booking or cancellation request whose receipt was texted told the client "you will
/// get a text when they have decided", so its answer goes by text to the number the receipt went to, whatever the
/// client's channel says by then (a merge into a record with an email, an email confirmed since), as long as that number
/// is still the client's and its holder proved it with a code. The email, where there is one, goes as well. The promise is
/// the receipt's own record in <c>texts</c> (sent, for this appointment), so nothing more is stored; the look-up runs only
/// for a client whose channel is email and whose mobile is proven (the index <c>(tenant_id, appointment_id, kind)</c>).
/// </summary>
internal static class TextPromises
{
    /// <summary>The receipt that promised a decision of this kind (<c>BookingRequestDecided.Kind</c>) an answer by text.</summary>
    public static string ReceiptOf(string decisionKind) =>
        string.Equals(decisionKind, "cancellation", StringComparison.Ordinal) ? TextKinds.CancellationRequestReceived : TextKinds.RequestReceived;

    /// <summary>Whether the answer to a request whose receipt went to <paramref name="promisedTo"/> goes by text to a client on this channel.</summary>
    public static bool Kept(TextChannel channel, string promisedTo) =>
        channel.TextTo is not null || (channel.MobileProven && string.Equals(channel.Mobile, promisedTo, StringComparison.Ordinal));

    /// <summary>Whether the appointment's receipt of <paramref name="receiptKind"/> was texted to <paramref name="mobile"/>.</summary>
    public static Task<bool> PromisedAsync(PortalAuthDbContext db, Guid appointmentId, string receiptKind, string mobile, CancellationToken cancellationToken) =>
        db.Texts.AsNoTracking().AnyAsync(
            t => t.AppointmentId == appointmentId && t.Kind == receiptKind && t.Status == TextStatuses.Sent && t.To == mobile, cancellationToken);
}

/// <summary>How a notice text says to reach the business: its phone (as the pages write it) or its email, or "" when it has neither.</summary>
internal static class NoticeContact
{
    public static string Reach(Booking.Tenancy.Contracts.BusinessContactView contact) =>
        string.Join(" or ", new[] { contact.PhoneDisplay ?? contact.Phone, contact.Email }.Where(c => !string.IsNullOrWhiteSpace(c)));
}

/// <summary>The business's portal pages a text may link: the booking URL, the client's appointments and one appointment's cancel page.</summary>
public sealed record PortalLinks(string Origin, string Slug)
{
    public string Book => PortalAddresses.Book(Origin, Slug);

    /// <summary>"Your appointments: …" links the list itself (signed out, it asks for sign-in and comes back), as the emails do.</summary>
    public string Appointments => PortalAddresses.Appointments(Origin, Slug);

    public string Cancel(Guid appointmentId) => PortalAddresses.Cancel(Origin, Slug, appointmentId);
}
