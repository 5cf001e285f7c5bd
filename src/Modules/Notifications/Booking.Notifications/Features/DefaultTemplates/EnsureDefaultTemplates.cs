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
    /// <summary>Seed 000's example text, word for word.</summary>
    public static readonly (string Name, string Subject, string Body) DiaryContactNew =
        ("Diary contact: new portal appointment",
            "New portal booking: {ClientFullName}",
            "{ClientFullName}  ( {ClientMobilePhone} ) just made this appointment via the client portal: {NextAppointmentStartDateTime}");

    public static readonly (string Name, string Subject, string Body) DiaryContactCancelled =
        ("Diary contact: cancelled portal appointment",
            "Portal cancellation: {ClientFullName}",
            "{ClientFullName}  ( {ClientMobilePhone} ) just cancelled this appointment via the client portal: {AppointmentStartDateTime}\nReason: {CancellationReason}");

    public static readonly (string Name, string Subject, string Body) ExtraAddressesNew =
        ("Business addresses: new portal appointment",
            "New booking at {BusinessName}",
            "{ClientFullName} booked {ServiceName} with {DiaryName} for {AppointmentStartDateTime} via the client portal.");

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
