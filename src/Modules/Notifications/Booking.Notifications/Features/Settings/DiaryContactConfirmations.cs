using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.Notifications.Contracts;
using Booking.Notifications.Data;
using Booking.Notifications.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Features.Settings;

/// <summary>
/// A diary's contact email goes through the extra addresses' confirmation (decision 176): Roster asks through these
/// contracts when staff set or change it, and for its Send again; the row, link, page and limits are the same.
/// </summary>
public sealed class ConfirmDiaryContactHandler(ConfirmationRequests requests, ITenantContext tenant) : ICommandHandler<ConfirmDiaryContact, AddressConfirmationView>
{
    public async ValueTask<AddressConfirmationView> Handle(ConfirmDiaryContact command, CancellationToken cancellationToken)
    {
        var address = AddressKey.Of(command.Address);
        return AddressKey.View(address, await requests.AskIfNewAsync(address, forDiaryContact: true, cancellationToken), tenant);
    }
}

public sealed class SendDiaryContactConfirmationAgainHandler(ConfirmationRequests requests, ITenantContext tenant) : ICommandHandler<SendDiaryContactConfirmationAgain, SendAgainOutcome>
{
    public async ValueTask<SendAgainOutcome> Handle(SendDiaryContactConfirmationAgain command, CancellationToken cancellationToken)
    {
        var address = AddressKey.Of(command.Address);
        var (sent, row, _) = await requests.SendAgainAsync(address, forDiaryContact: true, cancellationToken);
        return new SendAgainOutcome(sent, AddressKey.View(address, row, tenant));
    }
}

public sealed class GetAddressConfirmationsHandler(NotificationsDbContext db, ITenantContext tenant) : IQueryHandler<GetAddressConfirmations, IReadOnlyList<AddressConfirmationView>>
{
    public async ValueTask<IReadOnlyList<AddressConfirmationView>> Handle(GetAddressConfirmations query, CancellationToken cancellationToken)
    {
        var addresses = query.Addresses.Select(AddressKey.Of).ToList();
        var distinct = addresses.Distinct().ToList();
        var rows = distinct.Count == 0
            ? []
            : await db.AddressConfirmations.AsNoTracking().Where(c => distinct.Contains(c.Address)).ToListAsync(cancellationToken);
        return addresses.Select(a => AddressKey.View(a, rows.FirstOrDefault(r => r.Address == a), tenant)).ToList();
    }
}

/// <summary>Addresses are kept trimmed and lower-cased (the settings' list, the confirmation rows).</summary>
internal static class AddressKey
{
    public static string Of(string? address) => (address ?? "").Trim().ToLowerInvariant();

    /// <summary>The sent time in the business's offset (the database reads it in UTC), as every instant in an answer.</summary>
    public static AddressConfirmationView View(string address, AddressConfirmation? row, ITenantContext tenant) =>
        new(address, AddressStates.Of(row), row?.LastSentAt is { } sent ? tenant.Local(sent) : null,
            AddressStates.Of(row) == AddressStates.Unsubscribed ? tenant.Local(row!.UnsubscribedAt!.Value) : null);
}

/// <summary>
/// Development's demo business only (no route, sent by the Host's demo seed): its made-up addresses (the diary contacts,
/// the owner's sign-in email) count as confirmed by their people from the start, so the demo sends them its emails and
/// no confirmation emails. Never used for a real business: there the person at the address says yes.
/// </summary>
public sealed record ConfirmDemoAddresses(IReadOnlyList<string> Addresses) : ICommand;

public sealed class ConfirmDemoAddressesHandler(NotificationsDbContext db, TimeProvider clock) : ICommandHandler<ConfirmDemoAddresses>
{
    public async ValueTask<Unit> Handle(ConfirmDemoAddresses command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var addresses = command.Addresses.Select(AddressKey.Of).Where(a => a.Length > 0).Distinct().ToList();
        var known = await db.AddressConfirmations.Where(c => addresses.Contains(c.Address)).ToListAsync(cancellationToken);
        foreach (var address in addresses)
        {
            var row = known.FirstOrDefault(r => r.Address == address);
            if (row is null)
            {
                db.AddressConfirmations.Add(new AddressConfirmation { Address = address, AddedAt = now, ConfirmedAt = now });
            }
            else if (row.DeclinedAt is null && row.UnsubscribedAt is null)
            {
                row.ConfirmedAt ??= now;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
