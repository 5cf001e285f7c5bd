using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Notifications.Data;
using Booking.Notifications.Domain;
using Booking.Notifications.Rendering;
using Booking.Roster.Contracts;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Notifications.Features.Templates;

/// <summary>
/// CreatedAt and UpdatedAt carry the business's offset, like every instant the API answers. UsedBy: the notifications
/// that send this template (<see cref="TemplateUse"/>' names, Setup → Client Portal's); empty when none does, so the
/// template is sent to nobody (a starting point a new business got, or one not chosen yet).
/// </summary>
public sealed record TemplateView(Guid Id, string Name, string Subject, string Body, bool IsDefault, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<string> UsedBy)
{
    internal static TemplateView From(EmailTemplate t, ITenantContext tenant, NotificationSettings? settings) =>
        new(t.Id, t.Name, t.Subject, t.Body, t.IsDefault, tenant.Local(t.CreatedAt), tenant.Local(t.UpdatedAt), TemplateUse.Of(settings, t.Id));
}

public sealed record TemplateList(IReadOnlyList<TemplateView> Items, IReadOnlyList<string> MergeFields);

public sealed record ListTemplates : IQuery<TemplateList>;

public sealed record GetTemplate(Guid Id) : IQuery<TemplateView>;

/// <summary>The body of POST and PUT.</summary>
public sealed record TemplateInput(string? Name, string? Subject, string? Body);

public sealed record CreateTemplate(string? Name, string? Subject, string? Body) : ICommand<TemplateView>, ITemplateText;

public sealed record UpdateTemplate(Guid Id, string? Name, string? Subject, string? Body) : ICommand<TemplateView>, ITemplateText;

/// <summary>
/// Deletes a template no notification uses; answers its name. One a notification uses is refused (409
/// <c>template-in-use</c>, naming them): choose another template or the standard text for them first (decision 251).
/// </summary>
public sealed record DeleteTemplate(Guid Id) : ICommand<TemplateDeleted>;

public sealed record TemplateDeleted(Guid Id, string Name);

/// <summary>Which notifications use a template: what stops it being deleted (the page's confirmation step).</summary>
public sealed record GetTemplateUse(Guid Id) : IQuery<TemplateUseView>;

public sealed record TemplateUseView(Guid Id, string Name, IReadOnlyList<string> UsedBy);

/// <summary>
/// The text as the email of <paramref name="Notification"/> would carry it (<see cref="PreviewNotifications"/>' names, the
/// notification settings' fields): null shows the diary contact's new-appointment email.
/// </summary>
public sealed record PreviewTemplate(string? Subject, string? Body, string? Notification = null) : IQuery<TemplatePreview>, ITemplateText;

/// <summary>The preview's body: the template's subject and body, and optionally which notification's email to show.</summary>
public sealed record TemplatePreviewInput(string? Subject, string? Body, string? Notification);

/// <summary>Notification: the one whose email the preview shows (its footer says why its reader got it).</summary>
public sealed record TemplatePreview(string Subject, string Text, string Html, string Notification);

/// <summary>
/// The notifications a template can be sent by, by the notification settings' field names, each with the kind of its
/// emails: every template goes to a diary's contact or an extra address, never to a client, so the preview's footer is
/// always an internal one (decision 265).
/// </summary>
public static class PreviewNotifications
{
    public const string DiaryContactOnNew = "notifyDiaryContactOnNew";
    public const string DiaryContactOnCancelled = "notifyDiaryContactOnCancelled";
    public const string ExtraAddressesOnNew = "extraAddressesOnNew";

    /// <summary>Name → (message kind, Setup → Client Portal's name for it), in the page's order.</summary>
    public static readonly IReadOnlyList<(string Name, string Kind, string Label)> All =
    [
        (DiaryContactOnNew, MessageKinds.DiaryContactNew, TemplateUse.DiaryContactOnNew),
        (DiaryContactOnCancelled, MessageKinds.DiaryContactCancelled, TemplateUse.DiaryContactOnCancelled),
        (ExtraAddressesOnNew, MessageKinds.ExtraAddressNew, TemplateUse.ExtraAddressesOnNew),
    ];

    public static bool IsKnown(string? name) => name is null || All.Any(n => n.Name == name);

    /// <summary>The first notification (page order) whose Setup → Client Portal name is in <paramref name="usedBy"/>; else the diary contact's on new.</summary>
    public static string For(IReadOnlyList<string> usedBy) => All.FirstOrDefault(n => usedBy.Contains(n.Label)).Name ?? DiaryContactOnNew;
}

public interface ITemplateText
{
    string? Subject { get; }

    string? Body { get; }
}

/// <summary>Subject and body: required, bounded, and every merge field known and well formed (the problem names it).</summary>
public sealed class TemplateTextValidator : AbstractValidator<ITemplateText>
{
    public TemplateTextValidator()
    {
        RuleFor(x => x.Subject).NotEmpty().WithMessage("Enter a subject.")
            .MaximumLength(200).WithMessage("Use at most 200 characters.")
            .OneLine() // a header: no line breaks, controls or direction overrides (decision 262's rule, decision 271)
            .Custom((s, ctx) => AddFieldProblems(s, ctx));
        RuleFor(x => x.Body).NotEmpty().WithMessage("Enter the email's text.")
            .MaximumLength(20_000).WithMessage("Use at most 20,000 characters.")
            .MultiLine()
            .Custom((s, ctx) => AddFieldProblems(s, ctx));
    }

    private static void AddFieldProblems(string? text, ValidationContext<ITemplateText> ctx)
    {
        if (text is null)
        {
            return;
        }

        foreach (var problem in MergeFields.Check(text))
        {
            ctx.AddFailure(ctx.PropertyPath, problem);
        }
    }
}

public sealed class CreateTemplateValidator : AbstractValidator<CreateTemplate>
{
    public CreateTemplateValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Enter the template's name.")
            .MaximumLength(120).WithMessage("Use at most 120 characters.").OneLine();
        Include(new TemplateTextValidator());
    }
}

public sealed class UpdateTemplateValidator : AbstractValidator<UpdateTemplate>
{
    public UpdateTemplateValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Enter the template's name.")
            .MaximumLength(120).WithMessage("Use at most 120 characters.").OneLine();
        Include(new TemplateTextValidator());
    }
}

public sealed class PreviewTemplateValidator : AbstractValidator<PreviewTemplate>
{
    public PreviewTemplateValidator()
    {
        Include(new TemplateTextValidator());
        RuleFor(x => x.Notification).Must(PreviewNotifications.IsKnown)
            .WithMessage("Choose which notification's email to show: notifyDiaryContactOnNew, notifyDiaryContactOnCancelled or extraAddressesOnNew.");
    }
}

public sealed class ListTemplatesHandler(NotificationsDbContext db, ITenantContext tenant) : IQueryHandler<ListTemplates, TemplateList>
{
    public async ValueTask<TemplateList> Handle(ListTemplates query, CancellationToken cancellationToken)
    {
        var items = await db.Templates.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
        var settings = await db.Settings.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return new TemplateList(items.Select(t => TemplateView.From(t, tenant, settings)).ToList(), MergeFields.TemplateFields);
    }
}

public sealed class GetTemplateHandler(NotificationsDbContext db, ITenantContext tenant) : IQueryHandler<GetTemplate, TemplateView>
{
    public async ValueTask<TemplateView> Handle(GetTemplate query, CancellationToken cancellationToken)
    {
        var template = await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == query.Id, cancellationToken)
            ?? throw ProblemException.NotFound("No such template.");
        return TemplateView.From(template, tenant, await db.Settings.AsNoTracking().FirstOrDefaultAsync(cancellationToken));
    }
}

public sealed class CreateTemplateHandler(NotificationsDbContext db, ITenantContext tenant, TimeProvider clock) : ICommandHandler<CreateTemplate, TemplateView>
{
    public async ValueTask<TemplateView> Handle(CreateTemplate command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await TemplateSaves.EnsureNameFreeAsync(db, command.Name!.Trim(), null, cancellationToken);
        var template = new EmailTemplate
        {
            Id = Guid.CreateVersion7(),
            Name = command.Name!.Trim(),
            Subject = command.Subject!,
            Body = command.Body!,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Templates.Add(template);
        await TemplateSaves.SaveAsync(db, cancellationToken);
        return TemplateView.From(template, tenant, settings: null); // new: no notification can use it yet
    }
}

public sealed class UpdateTemplateHandler(NotificationsDbContext db, ITenantContext tenant, TimeProvider clock) : ICommandHandler<UpdateTemplate, TemplateView>
{
    /// <summary>A change that finds the template deleted by the time it saves looks again: 404.</summary>
    public async ValueTask<TemplateView> Handle(UpdateTemplate command, CancellationToken cancellationToken) =>
        await db.RetryOnConcurrentChangeAsync(() => UpdateAsync(command, cancellationToken));

    private async Task<TemplateView> UpdateAsync(UpdateTemplate command, CancellationToken cancellationToken)
    {
        var template = await db.Templates.FirstOrDefaultAsync(t => t.Id == command.Id, cancellationToken)
            ?? throw ProblemException.NotFound("No such template.");
        await TemplateSaves.EnsureNameFreeAsync(db, command.Name!.Trim(), template.Id, cancellationToken);
        template.Name = command.Name!.Trim();
        template.Subject = command.Subject!;
        template.Body = command.Body!;
        template.UpdatedAt = clock.GetUtcNow();
        await TemplateSaves.SaveAsync(db, cancellationToken);
        return TemplateView.From(template, tenant, await db.Settings.AsNoTracking().FirstOrDefaultAsync(cancellationToken));
    }
}

/// <summary>
/// A template a notification uses is not deleted (409 <c>template-in-use</c>, <c>usedBy</c> naming them): deleting it
/// used to turn those notifications back to the standard text without a word to whoever reads them, from a page other
/// than the one where the choice is made. The settings row is locked first, so a settings save choosing the template
/// meanwhile either came first (the delete sees it and refuses) or waits, then meets the foreign key and is refused
/// naming its field. Two deletes at once: the second finds nothing to delete, 404.
/// </summary>
public sealed class DeleteTemplateHandler(NotificationsDbContext db, ITenantContext tenant) : ICommandHandler<DeleteTemplate, TemplateDeleted>
{
    public const string InUse = "template-in-use";

    public async ValueTask<TemplateDeleted> Handle(DeleteTemplate command, CancellationToken cancellationToken)
    {
        var tenantId = tenant.TenantId!.Value;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"SELECT 1 FROM notifications.notification_settings WHERE tenant_id = {tenantId} FOR UPDATE", cancellationToken);
        var template = await db.Templates.AsNoTracking().Where(t => t.Id == command.Id).Select(t => new { t.Id, t.Name }).FirstOrDefaultAsync(cancellationToken)
            ?? throw ProblemException.NotFound("No such template.");
        var usedBy = TemplateUse.Of(await db.Settings.AsNoTracking().FirstOrDefaultAsync(cancellationToken), command.Id);
        if (usedBy.Count > 0)
        {
            throw InUseProblem(template.Name, usedBy);
        }

        if (await db.Templates.Where(t => t.Id == command.Id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw ProblemException.NotFound("No such template.");
        }

        await transaction.CommitAsync(cancellationToken);
        return new TemplateDeleted(template.Id, template.Name);
    }

    /// <summary>"“Booked” is used by Notify Diary Contact on New Appointment. To delete it, first choose …"</summary>
    public static ProblemException InUseProblem(string name, IReadOnlyList<string> usedBy)
    {
        var problem = new ProblemException(InUse, 409, "Template in use",
            $"“{name}” is used by {TemplateUse.Join(usedBy)}. To delete it, first choose another template or the standard text "
            + $"for {(usedBy.Count == 1 ? "that notification" : "those notifications")} in Setup → Client Portal.");
        problem.Extensions["usedBy"] = usedBy;
        return problem;
    }
}

public sealed class GetTemplateUseHandler(NotificationsDbContext db) : IQueryHandler<GetTemplateUse, TemplateUseView>
{
    public async ValueTask<TemplateUseView> Handle(GetTemplateUse query, CancellationToken cancellationToken)
    {
        var template = await db.Templates.AsNoTracking().Where(t => t.Id == query.Id).Select(t => new { t.Id, t.Name }).FirstOrDefaultAsync(cancellationToken)
            ?? throw ProblemException.NotFound("No such template.");
        var settings = await db.Settings.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return new TemplateUseView(template.Id, template.Name, TemplateUse.Of(settings, query.Id));
    }
}

/// <summary>
/// The notifications that can use a template, by the names Setup → Client Portal gives them (its legends read these).
/// A notification switched off still counts: its choice of template is what a delete clears.
/// </summary>
public static class TemplateUse
{
    public const string DiaryContactOnNew = "Notify Diary Contact on New Appointment";
    public const string DiaryContactOnCancelled = "Notify Diary Contact on Cancelled Appointment";
    public const string ExtraAddressesOnNew = "Send Email to these Addresses on New Appointment";

    public static IReadOnlyList<string> Of(NotificationSettings? settings, Guid templateId)
    {
        if (settings is null)
        {
            return [];
        }

        var names = new List<string>();
        if (settings.NotifyOnNewTemplateId == templateId)
        {
            names.Add(DiaryContactOnNew);
        }

        if (settings.NotifyOnCancelledTemplateId == templateId)
        {
            names.Add(DiaryContactOnCancelled);
        }

        if (settings.ExtraAddressesTemplateId == templateId)
        {
            names.Add(ExtraAddressesOnNew);
        }

        return names;
    }

    /// <summary>"A", "A and B", "A, B and C".</summary>
    public static string Join(IReadOnlyList<string> names) =>
        names.Count <= 1 ? string.Concat(names) : $"{string.Join(", ", names.SkipLast(1))} and {names[^1]}";
}

internal static class TemplateSaves
{
    private static FluentValidation.ValidationException NameTaken() => ProblemException.Invalid("name", "A template with this name already exists.");

    /// <summary>
    /// A name another template has is refused before the save: a save that meets the unique index fails a statement,
    /// which EF logs as an error, for what is only a 400. The index on (tenant_id, lower(name)) stays the backstop for two
    /// saves at once (migration UniqueTemplateNamesInAnyCase; before it, the backstop compared the exact name, so "Race
    /// note" and "race note" saved at once both got in). Names are
    /// compared in any case, as service and pet names are (decision 217): "Seed note" and "seed NOTE" look alike in
    /// Setup → Client Portal's template choices (review s29 #10).
    /// </summary>
    public static async Task EnsureNameFreeAsync(NotificationsDbContext db, string name, Guid? except, CancellationToken cancellationToken)
    {
        var lower = name.ToLowerInvariant();
#pragma warning disable CA1862 // EF translates ToLower() to PostgreSQL's lower(); string.Equals with a StringComparison is not translated
        var taken = await db.Templates.AnyAsync(t => t.Name.ToLower() == lower && t.Id != except, cancellationToken);
#pragma warning restore CA1862
        if (taken)
        {
            throw NameTaken();
        }
    }

    public static async Task SaveAsync(NotificationsDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw NameTaken(); // taken by a concurrent save since EnsureNameFreeAsync looked
        }
    }
}

/// <summary>
/// Renders text with sample values, in the business's zone and look, exactly as a real email would be. The samples are
/// the business's own where it has them (its first active diary, first service, a mobile and a landline of its country) so the
/// preview reads like its real emails; neutral placeholders otherwise. The footer is the one its readers get (decision
/// 265): the notification's kind says why they got it (a diary's contact, an extra address), with the "Stop these
/// emails to …" line those emails carry, to the diary's contact email or the first extra address (a sample address
/// where there is none; the link's token is a sample too, as each real email gets its own). Not the client's footer:
/// no template is sent to a client.
/// </summary>
public sealed class PreviewTemplateHandler(EmailRenderer renderer, INotificationFacts facts, ITenantContext tenant, TimeProvider clock, NotificationsDbContext db,
    PublicOrigin origin) : IQueryHandler<PreviewTemplate, TemplatePreview>
{
    public const string SampleContactAddress = "diary.contact@example.com";
    public const string SampleExtraAddress = "front.desk@example.com";
    public const string SampleUnsubscribeToken = "sample";

    public const string NeutralServiceName = "Sample service";
    public const string NeutralDiaryName = "Sample diary";
    public const string SamplePetName = "Rex";

    /// <summary>The preview's pet notes (decision 338).</summary>
    public const string SamplePetNotes = "Nervous of dryers";
    public const string SampleNote = "Please call when you arrive; the side gate is open.";
    private const int NeutralDurationMinutes = 45;

    public async ValueTask<TemplatePreview> Handle(PreviewTemplate query, CancellationToken cancellationToken)
    {
        var business = tenant.Current!;
        var look = await facts.LookAsync(cancellationToken);
        var (diary, service) = await facts.PreviewSubjectsAsync(cancellationToken);
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(business.TimeZone) ?? DateTimeZone.Utc;
        // Next Tuesday, 9:00 local.
        var today = Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(zone).Date;
        var date = today.Next(IsoDayOfWeek.Tuesday);
        var start = date.At(new LocalTime(9, 0)).InZoneLeniently(zone).ToDateTimeOffset();
        var end = start.AddMinutes(service?.DurationMinutes ?? NeutralDurationMinutes);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [MergeFields.ClientFullName] = "Jane Citizen",
            [MergeFields.ClientFirstName] = "Jane",
            [MergeFields.ClientMobilePhone] = SampleMobile(business.CountryCode),
            [MergeFields.ClientOtherPhone] = SampleLandline(business.CountryCode),
            [MergeFields.ClientEmail] = "jane.citizen@example.com",
            [MergeFields.NextAppointmentStartDateTime] = start.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            [MergeFields.AppointmentStartDateTime] = start.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            [MergeFields.AppointmentEndDateTime] = end.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            [MergeFields.ServiceName] = service?.Name ?? NeutralServiceName,
            // A sample pet only where clients book for pets: elsewhere every real email has {PetName} empty.
            [MergeFields.PetName] = look.BooksForPets == true ? SamplePetName : null,
            [MergeFields.PetNotes] = look.BooksForPets == true ? SamplePetNotes : null,
            [MergeFields.DiaryName] = diary?.Name ?? NeutralDiaryName,
            [MergeFields.WithDiary] = diary?.With ?? DiaryKinds.With(DiaryKinds.Person, NeutralDiaryName),
            [MergeFields.CancellationReason] = "Feeling unwell",
            [MergeFields.AppointmentNote] = SampleNote,
            [MergeFields.ChangedBy] = "the client",
        };
        var notification = query.Notification ?? PreviewNotifications.DiaryContactOnNew;
        var kind = PreviewNotifications.All.First(n => n.Name == notification).Kind;
        var to = kind == MessageKinds.ExtraAddressNew
            ? (await db.Settings.AsNoTracking().Select(x => x.ExtraAddresses).FirstOrDefaultAsync(cancellationToken))?.FirstOrDefault() ?? SampleExtraAddress
            : diary?.ContactEmail is { Length: > 0 } contact ? contact : SampleContactAddress;
        var unsubscribe = UnsubscribeLinks.For(origin.Value, look.Slug, to, SampleUnsubscribeToken);
        var email = await renderer.RenderAsync(new MessageContent(query.Subject!, query.Body!, values), look, to, unsubscribe, kind);
        return new TemplatePreview(email.Subject, email.Text, email.Html, notification);
    }

    /// <summary>
    /// libphonenumber's example mobile for the country, in E.164 as clients' mobiles are kept. A country with no
    /// example gives none: the preview then shows what an email to a client without a mobile shows.
    /// </summary>
    internal static string? SampleMobile(string countryCode) =>
        SampleNumber(countryCode, PhoneNumbers.PhoneNumberType.MOBILE);

    /// <summary>The country's example landline for {ClientOtherPhone}, as <see cref="SampleMobile"/> is for the mobile.</summary>
    internal static string? SampleLandline(string countryCode) =>
        SampleNumber(countryCode, PhoneNumbers.PhoneNumberType.FIXED_LINE);

    private static string? SampleNumber(string countryCode, PhoneNumbers.PhoneNumberType type)
    {
        var util = PhoneNumbers.PhoneNumberUtil.GetInstance();
        var region = countryCode.ToUpperInvariant();
        var number = util.GetExampleNumberForType(region, type)
            ?? util.GetExampleNumberForType(region, PhoneNumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE);
        return number is null ? null : util.Format(number, PhoneNumbers.PhoneNumberFormat.E164);
    }
}
