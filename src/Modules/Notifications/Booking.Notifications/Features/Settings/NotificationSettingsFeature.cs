using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Rendering;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.Notifications.Features.Settings;

/// <summary>
/// A notification's template. TemplateId null means the default template; a PUT body that leaves templateId out is a
/// validation error (PUT replaces the whole object), so the setter notes that the field was given.
/// </summary>
public abstract record TemplateChoice
{
    private readonly Guid? templateId;

    public Guid? TemplateId
    {
        get => templateId;
        init
        {
            templateId = value;
            TemplateIdGiven = true;
        }
    }

    /// <summary>False only when a JSON body left templateId out.</summary>
    [JsonIgnore]
    public bool TemplateIdGiven { get; private init; }
}

/// <summary>The diary contact's notification: on or off, and its template.</summary>
public sealed record DiaryContactNotification : TemplateChoice
{
    [JsonConstructor]
    public DiaryContactNotification()
    {
    }

    public DiaryContactNotification(bool? enabled, Guid? templateId)
    {
        Enabled = enabled;
        TemplateId = templateId;
    }

    public bool? Enabled { get; init; }
}

/// <summary>
/// The extra addresses on new appointments, and their template. In answers, <c>addressStates</c> says of each address
/// whether its person confirmed it (only confirmed addresses are sent the booking emails); a PUT body's is not read.
/// </summary>
public sealed record ExtraAddressesNotification : TemplateChoice
{
    [JsonConstructor]
    public ExtraAddressesNotification()
    {
    }

    public ExtraAddressesNotification(IReadOnlyList<string>? addresses, Guid? templateId)
    {
        Addresses = addresses;
        TemplateId = templateId;
    }

    public IReadOnlyList<string>? Addresses { get; init; }

    public IReadOnlyList<ExtraAddressState>? AddressStates { get; init; }
}

/// <summary>GET answer and PUT body of /api/v1/admin/notification-settings.</summary>
public sealed record NotificationSettingsView(
    DiaryContactNotification? NotifyDiaryContactOnNew,
    DiaryContactNotification? NotifyDiaryContactOnCancelled,
    ExtraAddressesNotification? ExtraAddressesOnNew,
    bool? IncludeStaffChanges);

public sealed record GetNotificationSettings : IQuery<NotificationSettingsView>;

public sealed record PutNotificationSettings(
    DiaryContactNotification? NotifyDiaryContactOnNew,
    DiaryContactNotification? NotifyDiaryContactOnCancelled,
    ExtraAddressesNotification? ExtraAddressesOnNew,
    bool? IncludeStaffChanges) : ICommand<NotificationSettingsView>;

public sealed class PutNotificationSettingsValidator : AbstractValidator<PutNotificationSettings>
{
    public PutNotificationSettingsValidator()
    {
        // PUT replaces the whole object: every field is required.
        RuleFor(x => x.NotifyDiaryContactOnNew).NotNull()
            .WithMessage("Give the choice for new appointments, such as { \"enabled\": false, \"templateId\": null }.");
        RuleFor(x => x.NotifyDiaryContactOnNew!.Enabled).NotNull().WithMessage("Say whether to email the diary contact on a new appointment.")
            .When(x => x.NotifyDiaryContactOnNew is not null);
        RuleFor(x => x.NotifyDiaryContactOnCancelled).NotNull()
            .WithMessage("Give the choice for cancelled appointments, such as { \"enabled\": false, \"templateId\": null }.");
        RuleFor(x => x.NotifyDiaryContactOnCancelled!.Enabled).NotNull().WithMessage("Say whether to email the diary contact on a cancelled appointment.")
            .When(x => x.NotifyDiaryContactOnCancelled is not null);
        RuleFor(x => x.ExtraAddressesOnNew).NotNull()
            .WithMessage("Give the extra addresses for new appointments, such as { \"addresses\": [], \"templateId\": null }.");
        RuleFor(x => x.IncludeStaffChanges).NotNull().WithMessage("Say whether changes made by staff send these emails too.");
        const string giveTemplate = "Give the template's id, or null for the default template.";
        RuleFor(x => x.NotifyDiaryContactOnNew!.TemplateIdGiven).Equal(true).WithMessage(giveTemplate)
            .OverridePropertyName("NotifyDiaryContactOnNew.TemplateId").When(x => x.NotifyDiaryContactOnNew is not null);
        RuleFor(x => x.NotifyDiaryContactOnCancelled!.TemplateIdGiven).Equal(true).WithMessage(giveTemplate)
            .OverridePropertyName("NotifyDiaryContactOnCancelled.TemplateId").When(x => x.NotifyDiaryContactOnCancelled is not null);
        RuleFor(x => x.ExtraAddressesOnNew!.TemplateIdGiven).Equal(true).WithMessage(giveTemplate)
            .OverridePropertyName("ExtraAddressesOnNew.TemplateId").When(x => x.ExtraAddressesOnNew is not null);
        When(x => x.ExtraAddressesOnNew is not null, () =>
        {
            RuleFor(x => x.ExtraAddressesOnNew!.Addresses)
                .NotNull().WithMessage("Give the addresses (an empty list for none).")
                .Must(a => a is null || a.Count <= NotificationSettings.MaxExtraAddresses)
                .WithMessage($"At most {NotificationSettings.MaxExtraAddresses} addresses.");
            // Checked as saved: trimmed (a pasted address often brings a space along).
            RuleForEach(x => x.ExtraAddressesOnNew!.Addresses)
                .Must(a => EmailAddress.IsValid(a?.Trim())).WithMessage((_, a) => $"\"{a}\" is not a valid email address.");
        });
    }
}

public sealed class GetNotificationSettingsHandler(NotificationsDbContext db, ITenantContext tenant) : IQueryHandler<GetNotificationSettings, NotificationSettingsView>
{
    public async ValueTask<NotificationSettingsView> Handle(GetNotificationSettings query, CancellationToken cancellationToken)
    {
        var settings = await db.Settings.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? NotificationSettings.NewBusinessDefaults(); // decision 350
        return SettingsViews.From(settings, await AddressStateViews.ForAsync(db, settings.ExtraAddresses, tenant, cancellationToken));
    }
}

public sealed class PutNotificationSettingsHandler(NotificationsDbContext db, ITenantContext tenant, TimeProvider clock, ConfirmationMailer mailer, MessageQueue queue,
    INotificationFacts facts)
    : ICommandHandler<PutNotificationSettings, NotificationSettingsView>
{
    public async ValueTask<NotificationSettingsView> Handle(PutNotificationSettings command, CancellationToken cancellationToken)
    {
        // A business's first settings saved twice at once: the second meets the first's row in its key and is saved
        // over it. A template deleted between its check and the save: the foreign key refuses the save, and the check,
        // run again, names the field. An address added by both: the second meets the first's confirmation row and
        // sends nothing more.
        var staged = new List<OutboundMessage>();
        // Staff's proven sign-in emails, asked once before the transaction (another module's query): on the list they
        // need no confirmation email (decision 251).
        IReadOnlySet<string> proven = command.ExtraAddressesOnNew?.Addresses is { Count: > 0 }
            ? await facts.ProvenStaffEmailsAsync(cancellationToken)
            : new HashSet<string>();
        // One transaction per try: a new address's confirmation is counted under the business's confirmation lock, held
        // until the commit (ConfirmationMailer).
        var view = await db.RetryOnConcurrentChangeAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var saved = await SaveAsync(command, staged, proven, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return saved;
        }, ex => ex.IsUniqueViolation() || ex.IsForeignKeyViolation());
        queue.EnqueueAll(tenant.TenantId!.Value, staged.Select(m => m.Id).ToList());
        return view;
    }

    private async Task<NotificationSettingsView> SaveAsync(PutNotificationSettings input, List<OutboundMessage> staged, IReadOnlySet<string> proven, CancellationToken cancellationToken)
    {
        staged.Clear(); // a try that met a concurrent change saved nothing
        // A template id must be one of this business's templates (another business's id is simply not found).
        await RequireTemplateAsync(input.NotifyDiaryContactOnNew!.TemplateId, "notifyDiaryContactOnNew.templateId", cancellationToken);
        await RequireTemplateAsync(input.NotifyDiaryContactOnCancelled!.TemplateId, "notifyDiaryContactOnCancelled.templateId", cancellationToken);
        await RequireTemplateAsync(input.ExtraAddressesOnNew!.TemplateId, "extraAddressesOnNew.templateId", cancellationToken);

        var settings = await db.Settings.FirstOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            // Set explicitly: EF would otherwise generate a random Guid for this Guid key.
            settings = new NotificationSettings { TenantId = tenant.TenantId!.Value };
            db.Settings.Add(settings);
        }

        settings.NotifyOnNewEnabled = input.NotifyDiaryContactOnNew!.Enabled!.Value;
        settings.NotifyOnNewTemplateId = input.NotifyDiaryContactOnNew.TemplateId;
        settings.NotifyOnCancelledEnabled = input.NotifyDiaryContactOnCancelled!.Enabled!.Value;
        settings.NotifyOnCancelledTemplateId = input.NotifyDiaryContactOnCancelled.TemplateId;
        settings.ExtraAddresses = input.ExtraAddressesOnNew!.Addresses!.Select(a => a.Trim().ToLowerInvariant()).Distinct().ToList();
        settings.ExtraAddressesTemplateId = input.ExtraAddressesOnNew.TemplateId;
        settings.IncludeStaffChanges = input.IncludeStaffChanges!.Value;
        settings.UpdatedAt = clock.GetUtcNow();

        // The settings first: two first saves at once meet in its key here (and the second runs again), before either
        // takes the business's confirmation lock below, which is held until the commit.
        await db.SaveChangesAsync(cancellationToken);

        // An address new to this business (no confirmation row, whether or not it was on the list before) is saved
        // waiting, and sent the one confirmation email (within the limits: over them it waits for Send again). A staff
        // member's proven sign-in email is confirmed instead, new or waiting, with no email.
        var known = await db.AddressConfirmations.Where(c => settings.ExtraAddresses.Contains(c.Address)).ToListAsync(cancellationToken);
        foreach (var row in known.Where(k => proven.Contains(k.Address)))
        {
            ProvenStaffEmails.Confirm(row, settings.UpdatedAt);
        }

        foreach (var address in settings.ExtraAddresses.Where(a => known.All(k => k.Address != a)))
        {
            var row = new AddressConfirmation { TenantId = tenant.TenantId!.Value, Address = address, AddedAt = settings.UpdatedAt };
            db.AddressConfirmations.Add(row);
            known.Add(row);
            if (proven.Contains(address))
            {
                ProvenStaffEmails.Confirm(row, settings.UpdatedAt);
            }
            else
            {
                await mailer.StageAsync(row, staged, cancellationToken);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return SettingsViews.From(settings, settings.ExtraAddresses.Select(a => AddressStateViews.From(a, known.First(k => k.Address == a), tenant)).ToList());
    }

    private async Task RequireTemplateAsync(Guid? id, string field, CancellationToken cancellationToken)
    {
        if (id is { } templateId && !await db.Templates.AnyAsync(t => t.Id == templateId, cancellationToken))
        {
            throw ProblemException.Invalid(field, "No such template in this business.");
        }
    }
}

internal static class SettingsViews
{
    public static NotificationSettingsView From(NotificationSettings s, IReadOnlyList<ExtraAddressState> states) => new(
        new DiaryContactNotification(s.NotifyOnNewEnabled, s.NotifyOnNewTemplateId),
        new DiaryContactNotification(s.NotifyOnCancelledEnabled, s.NotifyOnCancelledTemplateId),
        new ExtraAddressesNotification(s.ExtraAddresses, s.ExtraAddressesTemplateId) { AddressStates = states },
        s.IncludeStaffChanges);
}
