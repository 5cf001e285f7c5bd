using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Notifications.Data;
using Booking.Notifications.Domain;
using Booking.Notifications.Rendering;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Features.Unsubscribe;

/// <summary>
/// An unsubscribe link's page asks what it is for: the address its email went to, whether as a diary's contact (else as
/// an extra address), and when the address unsubscribed if it has (and not confirmed again since). Null: not a link of
/// this business's emails (forged, mistyped, another business's, or an email sent before links were made).
/// </summary>
public sealed record ReadUnsubscribeLink(string? Token) : IQuery<UnsubscribeTarget?>;

/// <summary>The address a link stops, and its state; <see cref="UnsubscribedAt"/> null while it is still mailed.</summary>
public sealed record UnsubscribeTarget(string Address, bool ForDiaryContact, DateTimeOffset? UnsubscribedAt);

/// <summary>
/// The link's POST (the page's button, or a mail provider's one-click POST): the address is sent none of the business's
/// notification emails from now on, until staff ask again and its person says yes to that confirmation. Idempotent: an
/// address already unsubscribed keeps its first date. Null when the token is not one of this business's links.
/// </summary>
public sealed record UnsubscribeAddress(string? Token) : ICommand<UnsubscribeTarget?>;

public sealed class ReadUnsubscribeLinkHandler(NotificationsDbContext db) : IQueryHandler<ReadUnsubscribeLink, UnsubscribeTarget?>
{
    public async ValueTask<UnsubscribeTarget?> Handle(ReadUnsubscribeLink query, CancellationToken cancellationToken)
    {
        if (await UnsubscribeMessages.FindAsync(db, query.Token, cancellationToken) is not { } found)
        {
            return null;
        }

        var row = await db.AddressConfirmations.AsNoTracking().FirstOrDefaultAsync(c => c.Address == found.Address, cancellationToken);
        return new UnsubscribeTarget(found.Address, found.ForDiaryContact, UnsubscribeMessages.Standing(row));
    }
}

public sealed class UnsubscribeAddressHandler(NotificationsDbContext db, ITenantContext tenant, TimeProvider clock) : ICommandHandler<UnsubscribeAddress, UnsubscribeTarget?>
{
    public async ValueTask<UnsubscribeTarget?> Handle(UnsubscribeAddress command, CancellationToken cancellationToken)
    {
        if (await UnsubscribeMessages.FindAsync(db, command.Token, cancellationToken) is not { } found)
        {
            return null;
        }

        // Two one-click POSTs at once for an address without a row: the second meets the first's row in the key and, run
        // again, finds it unsubscribed.
        return await db.RetryOnConcurrentChangeAsync(async () =>
        {
            var row = await db.AddressConfirmations.FirstOrDefaultAsync(c => c.Address == found.Address, cancellationToken);
            if (UnsubscribeMessages.Standing(row) is { } already)
            {
                return new UnsubscribeTarget(found.Address, found.ForDiaryContact, already);
            }

            var now = clock.GetUtcNow();
            now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond)); // as PostgreSQL keeps it, so a later read says the same
            if (row is null)
            {
                row = new AddressConfirmation { TenantId = tenant.TenantId!.Value, Address = found.Address, AddedAt = now };
                db.AddressConfirmations.Add(row);
            }

            // A declined address is mailed nothing already; it stays declined (the stronger answer).
            if (row.DeclinedAt is null)
            {
                row.ConfirmedAt = null;
                row.UnsubscribedAt = now;
                await db.SaveChangesAsync(cancellationToken);
            }

            return new UnsubscribeTarget(found.Address, found.ForDiaryContact, row.DeclinedAt ?? now);
        }, ex => ex.IsUniqueViolation());
    }
}

internal static class UnsubscribeMessages
{
    public sealed record Found(string Address, bool ForDiaryContact);

    /// <summary>
    /// The message whose email carried the token, in the current business (the tenant filter: a link under another
    /// business's name finds nothing), of a kind that carries one.
    /// </summary>
    public static async Task<Found?> FindAsync(NotificationsDbContext db, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200)
        {
            return null;
        }

        var hash = UnsubscribeLinks.Hash(token.Trim());
        var message = await db.Messages.AsNoTracking().Where(m => m.UnsubscribeTokenHash == hash)
            .Select(m => new { m.Recipient, m.Kind }).FirstOrDefaultAsync(cancellationToken);
        return message is null || !MessageKinds.Unsubscribable.Contains(message.Kind)
            ? null
            : new Found(message.Recipient.Trim().ToLowerInvariant(), MessageKinds.ToDiaryContact(message.Kind));
    }

    /// <summary>When the address unsubscribed (or declined), while that stands; null while it is mailed or waiting.</summary>
    public static DateTimeOffset? Standing(AddressConfirmation? row) =>
        row is null ? null
        : row.DeclinedAt is { } declined ? declined
        : row.ConfirmedAt is null ? row.UnsubscribedAt
        : null;
}

/// <summary>
/// <c>POST /api/v1/unsubscribe?name=&amp;token=</c>: the <c>List-Unsubscribe</c> address (RFC 8058). Mail providers POST
/// the form body <c>List-Unsubscribe=One-Click</c> with no cookie and no antiforgery token; the token in the address is
/// the permission. A GET of the same address (a person opening the header's link) is sent to the page, which asks first.
/// </summary>
public static class UnsubscribeEndpoints
{
    public const string OneClickField = "List-Unsubscribe";
    public const string OneClickValue = "One-Click";

    /// <summary>The answer: the address and when it was unsubscribed.</summary>
    public sealed record UnsubscribeAnswer(string Address, bool Unsubscribed, DateTimeOffset UnsubscribedAt);

    public static void MapUnsubscribe(this IEndpointRouteBuilder app)
    {
        app.MapPost(UnsubscribeLinks.OneClickPath, async (string? token, HttpRequest request, ISender sender, ITenantContext tenant, CancellationToken ct) =>
            {
                if (!request.HasFormContentType)
                {
                    throw ProblemException.Invalid(OneClickField, $"Send the form body {OneClickField}={OneClickValue} (RFC 8058).");
                }

                var form = await request.ReadFormAsync(ct);
                if (!string.Equals(form[OneClickField].ToString(), OneClickValue, StringComparison.Ordinal))
                {
                    throw ProblemException.Invalid(OneClickField, $"Send the form body {OneClickField}={OneClickValue} (RFC 8058).");
                }

                var done = await sender.Send(new UnsubscribeAddress(token), ct)
                    ?? throw ProblemException.NotFound("This unsubscribe link is not one we sent for this business. Nothing was changed.");
                return Results.Ok(new UnsubscribeAnswer(done.Address, true, tenant.Local(done.UnsubscribedAt!.Value)));
            })
            .WithTenantFromQuery()
            .WithName("UnsubscribeOneClick").WithTags("Notifications")
            .WithSummary("One-click unsubscribe (RFC 8058) from a business's notification emails; the token is the permission.")
            .Accepts<IFormCollection>("application/x-www-form-urlencoded", "multipart/form-data")
            .Produces<UnsubscribeAnswer>().ProducesValidationProblem().Answers(404, ProblemKinds.NotFound)
            .DisableAntiforgery();

        app.MapGet(UnsubscribeLinks.OneClickPath, (HttpRequest request) => Results.Redirect(UnsubscribeLinks.PagePath + request.QueryString.Value, permanent: false))
            .WithName("UnsubscribePage").WithTags("Notifications").ExcludeFromDescription();
    }
}
