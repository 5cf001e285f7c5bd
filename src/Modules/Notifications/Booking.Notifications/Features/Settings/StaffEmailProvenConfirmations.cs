using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Tenancy;
using Booking.Notifications.Data;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Features.Settings;

/// <summary>
/// A staff member proved their sign-in email (Tenancy's <see cref="StaffEmailProven"/>: the confirmation link, a used
/// reset or invitation link, a confirmed change): the business's diary contact or extra address equal to it (one row per
/// address, trimmed and lower-cased as kept), if still waiting for confirmation, is confirmed now, with no email
/// (decision 251 (1), decision 259). Before, it waited until Send again or the next save of the list. A declined or
/// unsubscribed address stays so (its person's own word, <see cref="ProvenStaffEmails.Confirm"/>); a confirmed one is
/// left alone; another business's rows are not this tenant's and not seen. Idempotent: the processed-event marker, and a
/// confirmed row is not confirmed again. Under the business's confirmation lock (<see cref="ConfirmationMailer"/>), so
/// a save or Send again staging a confirmation email for the address commits first and its waiting row is found here.
/// </summary>
public sealed class ConfirmAddressesOfProvenStaffEmail(NotificationsDbContext db, ITenantContext tenant, TimeProvider clock)
    : INotificationHandler<StaffEmailProven>
{
    public async ValueTask Handle(StaffEmailProven evt, CancellationToken cancellationToken)
    {
        var address = evt.Email.Trim().ToLowerInvariant();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.TryMarkProcessedAsync(evt.EventId, nameof(ConfirmAddressesOfProvenStaffEmail), cancellationToken))
        {
            return;
        }

        await db.Database.LockForTransactionAsync($"address-confirmations:{tenant.TenantId!.Value}", cancellationToken);
        var row = await db.AddressConfirmations.FirstOrDefaultAsync(c => c.Address == address, cancellationToken);
        if (row is not null)
        {
            ProvenStaffEmails.Confirm(row, clock.GetUtcNow());
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
