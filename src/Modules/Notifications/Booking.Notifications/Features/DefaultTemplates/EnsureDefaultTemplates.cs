using Booking.BuildingBlocks.Contracts;
using Booking.Notifications.Data;
using Booking.Notifications.Domain;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Features.DefaultTemplates;

/// <summary>Gives the current business any default template it lacks (by name); runs as a tenant job.</summary>
public sealed record EnsureDefaultTemplates : ITenantJob;

public static class DefaultTemplateTexts
{
    /// <summary>
    /// Seed 000's example text, with "via the client portal" replaced by who made the change ({ChangedBy}): with staff
    /// changes opted in, the seed's words would tell the diary contact a client did what staff did. Templates a business
    /// already saved are theirs and stay as they are; only new businesses and unset choices get this text. Each names
    /// the pet on a "Pet: {PetName}" line, left out when the appointment has no pet; the diary contact's new-appointment
    /// text carries the pet's notes under it ("Pet notes: {PetNotes}", left out without; decision 338). The new-appointment texts carry the
    /// note left with the booking on a "Note: {AppointmentNote}" line (left out without one): the client's, for a portal
    /// booking, or staff's; "made by {ChangedBy}" says whose. Each names the service and the diary on a line of their
    /// own, with the time under them (the new-appointment texts "Tuesday 8 December 2026, 10:00–10:45 AEDT"): "at" before
    /// a written date read "at Monday … at 10:00", and the seed's "  ( … )" left two spaces before the bracket. The
    /// client's number is {ClientPhone} (the mobile, else the other phone, decision 296): a client with only a landline
    /// is still someone the diary contact can call, and {ClientEmail} beside it (decision 350: a <c>mailto:</c> link in the
    /// HTML part, as the number is a <c>tel:</c> one), with the appointment's page in the diary as the email's button.
    /// These are the standard text Setup → Client Portal offers (a notification with no template chosen); the copies a
    /// new business is given under the same names are its own templates, sent only where it chooses them, so editing
    /// one never changes the standard text.
    /// </summary>
    public static readonly (string Name, string Subject, string Body) DiaryContactNew =
        ("Diary contact: new portal appointment",
            "New booking: {ClientFullName}",
            "{ClientFullName} ({ClientPhone}, {ClientEmail}) has a new appointment, made by {ChangedBy}:\n{ServiceName} {WithDiary}\nPet: {PetName}\nPet notes: {PetNotes}\n{AppointmentTimes}\nNote: {AppointmentNote}");

    public static readonly (string Name, string Subject, string Body) DiaryContactCancelled =
        ("Diary contact: cancelled portal appointment",
            "Cancellation: {ClientFullName}",
            "{ClientFullName} ({ClientPhone}, {ClientEmail}): this appointment was cancelled by {ChangedBy}:\n{ServiceName} {WithDiary}\nPet: {PetName}\n{AppointmentStartDateTime}\nReason: {CancellationReason}");

    public static readonly (string Name, string Subject, string Body) ExtraAddressesNew =
        ("Business addresses: new portal appointment",
            "New booking at {BusinessName}",
            "{ClientFullName} ({ClientPhone}, {ClientEmail}) has a new appointment, made by {ChangedBy}:\n{ServiceName} {WithDiary}\nPet: {PetName}\n{AppointmentTimes}\nNote: {AppointmentNote}");

    public static readonly IReadOnlyList<(string Name, string Subject, string Body)> All = [DiaryContactNew, DiaryContactCancelled, ExtraAddressesNew];
}

public sealed class EnsureDefaultTemplatesHandler(NotificationsDbContext db, TimeProvider clock) : ICommandHandler<EnsureDefaultTemplates>
{
    public async ValueTask<Unit> Handle(EnsureDefaultTemplates command, CancellationToken cancellationToken)
    {
        var existing = await db.Templates.Select(t => t.Name).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var (name, subject, body) in DefaultTemplateTexts.All.Where(t => !existing.Contains(t.Name)))
        {
            db.Templates.Add(new EmailTemplate
            {
                Id = Guid.CreateVersion7(),
                Name = name,
                Subject = subject,
                Body = body,
                IsDefault = true,
                CreatedAt = now,
                UpdatedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}

/// <summary>A new business starts with the default templates. Idempotent on the event id.</summary>
public sealed class GiveNewBusinessDefaultTemplates(NotificationsDbContext db, ISender sender) : INotificationHandler<BusinessSignedUp>
{
    public async ValueTask Handle(BusinessSignedUp notification, CancellationToken cancellationToken)
    {
        if (!await db.TryMarkProcessedAsync(notification.EventId, nameof(GiveNewBusinessDefaultTemplates), cancellationToken))
        {
            return;
        }

        // The processed-event row is saved with the templates by the same SaveChanges.
        await sender.Send(new EnsureDefaultTemplates(), cancellationToken);
    }
}
