using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Web;
using Booking.Notifications.Contracts;
using Booking.Roster.Contracts;
using Booking.Roster.Data;
using Booking.Roster.Domain;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Booking.Roster.Features.Diaries;

/// <summary>
/// A diary as staff read it. <c>contactEmailState</c>: whether the person at the contact email agreed to the business's
/// emails (Notifications' <see cref="AddressConfirmationStates"/>: <c>confirmed</c>, <c>waiting</c>, <c>declined</c>,
/// <c>unsubscribed</c>); only a confirmed contact is mailed. <c>contactEmailConfirmationSentAt</c>: when its last
/// confirmation email was sent. <c>contactEmailUnsubscribedAt</c>: when its person unsubscribed (null unless unsubscribed).
/// <c>kind</c>: <c>person</c> or <c>resource</c> (a room or equipment, <see cref="DiaryKinds"/>). A resource may have no
/// contact email: then <c>contactEmail</c> and <c>contactEmailState</c> are null, and nobody is mailed about its bookings.
/// </summary>
public sealed record DiaryResponse(Guid Id, string Name, string? ContactEmail, bool Active, string? ContactEmailState, DateTimeOffset? ContactEmailConfirmationSentAt,
    DateTimeOffset? ContactEmailUnsubscribedAt = null, string Kind = DiaryKinds.Person)
{
    public static DiaryResponse From(Diary d, AddressConfirmationView? contact) =>
        d.ContactEmail.Length == 0
            ? new(d.Id, d.Name, null, d.Active, null, null, null, d.Kind)
            : new(d.Id, d.Name, d.ContactEmail, d.Active, contact?.State ?? AddressConfirmationStates.Waiting, contact?.ConfirmationSentAt, contact?.UnsubscribedAt, d.Kind);
}

public sealed record DiaryList(IReadOnlyList<DiaryResponse> Items);

/// <summary>
/// The body of POST and PUT; on PUT every field is required, on POST active defaults to true. <c>kind</c> (added later,
/// decision 280) may be left out: a POST without it makes a person's diary, a PUT without it keeps the diary's kind (a
/// client written before kinds cannot mean to change it). <c>contactEmail</c> may be null or empty for a resource only.
/// </summary>
public sealed record DiaryInput(string? Name, string? ContactEmail, bool? Active, string? Kind = null);

public sealed record CreateDiary(string? Name, string? ContactEmail, bool? Active, string? Kind = null) : ICommand<DiaryResponse>;

/// <summary>A diary's details replaced; <see cref="Kind"/> null keeps the diary's kind.</summary>
public sealed record UpdateDiary(Guid Id, string? Name, string? ContactEmail, bool? Active, string? Kind = null) : ICommand<DiaryResponse>;

public sealed record ListDiaries : IQuery<DiaryList>;

public sealed record GetDiary(Guid Id) : IQuery<DiaryResponse>;

/// <summary>Send again: a fresh confirmation email to the diary's contact email while it waits for confirmation.</summary>
public sealed record SendContactConfirmationAgain(Guid Id) : ICommand<DiaryResponse>;

public sealed class CreateDiaryValidator : AbstractValidator<CreateDiary>
{
    /// <summary>A person's diary has a contact email (its booking emails go there): an empty one is asked for by its name.</summary>
    public const string EmptyContact = "Enter the diary's contact email: the address its booking emails go to.";

    public const string UnknownKind = "Choose person or resource (a room or equipment).";

    public CreateDiaryValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Enter the diary's name.")
            .MaximumLength(120).WithMessage("Use at most 120 characters.").OneLine();
        RuleFor(x => x.Kind).Must(k => k is null || DiaryKinds.All.Contains(k)).WithMessage(UnknownKind);
        // A room or equipment needs none (nobody there reads email); one given must be an address.
        RuleFor(x => x.ContactEmail).NotEmpty().WithMessage(EmptyContact).When(x => !DiaryKinds.IsResource(x.Kind));
        RuleFor(x => x.ContactEmail).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.").When(x => !string.IsNullOrWhiteSpace(x.ContactEmail));
    }
}

public sealed class UpdateDiaryValidator : AbstractValidator<UpdateDiary>
{
    public UpdateDiaryValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Enter the diary's name.")
            .MaximumLength(120).WithMessage("Use at most 120 characters.").OneLine();
        RuleFor(x => x.Kind).Must(k => k is null || DiaryKinds.All.Contains(k)).WithMessage(CreateDiaryValidator.UnknownKind);
        // Kind left out: the handler asks for the contact of a diary it finds to be a person's.
        RuleFor(x => x.ContactEmail).NotEmpty().WithMessage(CreateDiaryValidator.EmptyContact).When(x => x.Kind == DiaryKinds.Person);
        RuleFor(x => x.ContactEmail).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.").When(x => !string.IsNullOrWhiteSpace(x.ContactEmail));
        RuleFor(x => x.Active).NotNull().WithMessage("Say whether the diary is active.");
    }
}

/// <summary>
/// A diary's contact email receives the business's emails (templates among them), so, as the extra addresses, it is
/// confirmed by its person first: Notifications keeps the state and sends the confirmation (its contracts; Roster does
/// not know how). Asked after the diary is saved; if asking fails the diary stays saved and its contact waiting, and
/// Send again asks once more.
/// </summary>
internal static class ContactConfirmations
{
    public static async Task<AddressConfirmationView?> AskAsync(ISender sender, ILogger logger, string address, CancellationToken cancellationToken)
    {
        if (address.Length == 0)
        {
            return null; // no contact email (a room or equipment): nothing to confirm
        }

        try
        {
            return await sender.Send(new ConfirmDiaryContact(address), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The diary contact's confirmation could not be asked for; it waits for Send again");
            return null;
        }
    }

    public static async Task<AddressConfirmationView?> StateAsync(ISender sender, string address, CancellationToken cancellationToken) =>
        address.Length == 0 ? null : (await sender.Send(new GetAddressConfirmations([address]), cancellationToken))[0];

    public static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}

public sealed class CreateDiaryHandler(RosterDbContext db, TimeProvider clock, ISender sender, ILogger<CreateDiaryHandler> logger) : ICommandHandler<CreateDiary, DiaryResponse>
{
    public async ValueTask<DiaryResponse> Handle(CreateDiary command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var diary = new Diary
        {
            Id = Guid.CreateVersion7(),
            Name = command.Name!.Trim(),
            ContactEmail = command.ContactEmail?.Trim() ?? "",
            Active = command.Active ?? true,
            Kind = command.Kind ?? DiaryKinds.Person,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Diaries.Add(diary);
        await db.SaveChangesAsync(cancellationToken);
        var contact = await ContactConfirmations.AskAsync(sender, logger, diary.ContactEmail, cancellationToken);
        return DiaryResponse.From(diary, contact);
    }
}

public sealed class UpdateDiaryHandler(RosterDbContext db, TimeProvider clock, ISender sender, ILogger<UpdateDiaryHandler> logger) : ICommandHandler<UpdateDiary, DiaryResponse>
{
    public async ValueTask<DiaryResponse> Handle(UpdateDiary command, CancellationToken cancellationToken)
    {
        var diary = await db.Diaries.FirstOrDefaultAsync(d => d.Id == command.Id, cancellationToken)
            ?? throw ProblemException.NotFound("Diary not found.");
        var before = diary.ContactEmail;
        var kind = command.Kind ?? diary.Kind;
        var contactEmail = command.ContactEmail?.Trim() ?? "";
        if (contactEmail.Length == 0 && !DiaryKinds.IsResource(kind))
        {
            throw ProblemException.Invalid("contactEmail", CreateDiaryValidator.EmptyContact);
        }

        diary.Name = command.Name!.Trim();
        diary.ContactEmail = contactEmail;
        diary.Active = command.Active!.Value;
        diary.Kind = kind;
        diary.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        // A changed address (not only its letters' case) is a new one to confirm; an unchanged one keeps its state.
        var contact = ContactConfirmations.Same(before, diary.ContactEmail)
            ? await ContactConfirmations.StateAsync(sender, diary.ContactEmail, cancellationToken)
            : await ContactConfirmations.AskAsync(sender, logger, diary.ContactEmail, cancellationToken);
        return DiaryResponse.From(diary, contact);
    }
}

/// <summary>
/// Send again next to a contact email waiting for confirmation (its limits are the confirmation's own: 3 emails to one
/// address and 50 from one business in 24 hours, <c>rate-limited</c> past them). A confirmed or declined contact is
/// sent nothing: <c>validation</c> on <c>contactEmail</c>.
/// </summary>
public sealed class SendContactConfirmationAgainHandler(RosterDbContext db, ISender sender) : ICommandHandler<SendContactConfirmationAgain, DiaryResponse>
{
    public async ValueTask<DiaryResponse> Handle(SendContactConfirmationAgain command, CancellationToken cancellationToken)
    {
        var diary = await db.Diaries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == command.Id, cancellationToken)
            ?? throw ProblemException.NotFound("Diary not found.");
        if (diary.ContactEmail.Length == 0)
        {
            throw ProblemException.Invalid("contactEmail", "This diary has no contact email to confirm.");
        }

        var outcome = await sender.Send(new SendDiaryContactConfirmationAgain(diary.ContactEmail), cancellationToken);
        if (!outcome.Sent)
        {
            throw outcome.Address.State == AddressConfirmationStates.Confirmed
                ? ProblemException.Invalid("contactEmail", "This contact email is already confirmed.")
                : ProblemException.Invalid("contactEmail", "The person at this address asked not to get these emails, so no confirmation is sent to it again. Use another contact email.");
        }

        return DiaryResponse.From(diary, outcome.Address);
    }
}

public sealed class ListDiariesHandler(RosterDbContext db, ISender sender) : IQueryHandler<ListDiaries, DiaryList>
{
    public async ValueTask<DiaryList> Handle(ListDiaries query, CancellationToken cancellationToken)
    {
        var diaries = await db.Diaries.AsNoTracking().OrderBy(d => d.Name).ThenBy(d => d.Id).ToListAsync(cancellationToken);
        // Only the diaries with a contact email are asked about (a room or equipment may have none).
        var withContact = diaries.Where(d => d.ContactEmail.Length > 0).ToList();
        var contacts = withContact.Count == 0 ? [] : await sender.Send(new GetAddressConfirmations(withContact.Select(d => d.ContactEmail).ToList()), cancellationToken);
        var byDiary = withContact.Select((d, i) => (d.Id, Contact: contacts[i])).ToDictionary(x => x.Id, x => x.Contact);
        return new DiaryList(diaries.Select(d => DiaryResponse.From(d, byDiary.GetValueOrDefault(d.Id))).ToList());
    }
}

public sealed class GetDiaryHandler(RosterDbContext db, ISender sender) : IQueryHandler<GetDiary, DiaryResponse>
{
    public async ValueTask<DiaryResponse> Handle(GetDiary query, CancellationToken cancellationToken)
    {
        var diary = await db.Diaries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == query.Id, cancellationToken)
            ?? throw ProblemException.NotFound("Diary not found.");
        return DiaryResponse.From(diary, await ContactConfirmations.StateAsync(sender, diary.ContactEmail, cancellationToken));
    }
}

public static class DiariesEndpoints
{
    public static void MapDiaries(this IEndpointRouteBuilder app)
    {
        // Setup: owners and admins (a practitioner reads the diary only, API.md; decision 113).
        app.MapGet("/api/v1/admin/diaries", async (ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListDiaries(), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("ListDiaries")
            .WithTags("Setup")
            .Produces<DiaryList>();

        app.MapPost("/api/v1/admin/diaries", async (DiaryInput body, ISender sender, CancellationToken ct) =>
            {
                var diary = await sender.Send(new CreateDiary(body.Name, body.ContactEmail, body.Active, body.Kind), ct);
                return Results.Created($"/api/v1/admin/diaries/{diary.Id}", diary);
            })
            .RequireStaff(StaffRoles.Setup)
            .WithName("CreateDiary")
            .WithTags("Setup")
            .Accepts<DiaryInput>("application/json")
            .Produces<DiaryResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        app.MapGet("/api/v1/admin/diaries/{id}", async (string id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetDiary(RouteIds.Parse(id, "Diary")), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("GetDiary")
            .WithTags("Setup")
            .Produces<DiaryResponse>();

        app.MapPut("/api/v1/admin/diaries/{id}", async (string id, DiaryInput body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new UpdateDiary(RouteIds.Parse(id, "Diary"), body.Name, body.ContactEmail, body.Active, body.Kind), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("UpdateDiary")
            .WithTags("Setup")
            .Accepts<DiaryInput>("application/json")
            .Produces<DiaryResponse>()
            .ProducesValidationProblem();

        app.MapPost("/api/v1/admin/diaries/{id}/contact-email/send-confirmation", async (string id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new SendContactConfirmationAgain(RouteIds.Parse(id, "Diary")), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("SendDiaryContactConfirmationAgain")
            .WithTags("Setup")
            .WithSummary("Send a diary's contact email waiting for confirmation its confirmation email again (3 a day per address).")
            .Produces<DiaryResponse>()
            .ProducesValidationProblem()
            .Answers(429, ProblemKinds.RateLimited);
    }
}
