using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Data;
using Booking.Roster.Domain;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.Roster.Features.Diaries;

public sealed record DiaryResponse(Guid Id, string Name, string ContactEmail, bool Active)
{
    public static DiaryResponse From(Diary d) => new(d.Id, d.Name, d.ContactEmail, d.Active);
}

public sealed record DiaryList(IReadOnlyList<DiaryResponse> Items);

/// <summary>The body of POST and PUT; on PUT every field is required, on POST active defaults to true.</summary>
public sealed record DiaryInput(string? Name, string? ContactEmail, bool? Active);

public sealed record CreateDiary(string? Name, string? ContactEmail, bool? Active) : ICommand<DiaryResponse>;

public sealed record UpdateDiary(Guid Id, string? Name, string? ContactEmail, bool? Active) : ICommand<DiaryResponse>;

public sealed record ListDiaries : IQuery<DiaryList>;

public sealed record GetDiary(Guid Id) : IQuery<DiaryResponse>;

public sealed class CreateDiaryValidator : AbstractValidator<CreateDiary>
{
    public CreateDiaryValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Enter the diary's name.")
            .MaximumLength(120).WithMessage("Use at most 120 characters.").OneLine();
        RuleFor(x => x.ContactEmail).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.");
    }
}

public sealed class UpdateDiaryValidator : AbstractValidator<UpdateDiary>
{
    public UpdateDiaryValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Enter the diary's name.")
            .MaximumLength(120).WithMessage("Use at most 120 characters.").OneLine();
        RuleFor(x => x.ContactEmail).Must(EmailAddress.IsValid).WithMessage("Enter a valid email address.");
        RuleFor(x => x.Active).NotNull().WithMessage("Say whether the diary is active.");
    }
}

public sealed class CreateDiaryHandler(RosterDbContext db, TimeProvider clock) : ICommandHandler<CreateDiary, DiaryResponse>
{
    public async ValueTask<DiaryResponse> Handle(CreateDiary command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var diary = new Diary
        {
            Id = Guid.CreateVersion7(),
            Name = command.Name!.Trim(),
            ContactEmail = command.ContactEmail!.Trim(),
            Active = command.Active ?? true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Diaries.Add(diary);
        await db.SaveChangesAsync(cancellationToken);
        return DiaryResponse.From(diary);
    }
}

public sealed class UpdateDiaryHandler(RosterDbContext db, TimeProvider clock) : ICommandHandler<UpdateDiary, DiaryResponse>
{
    public async ValueTask<DiaryResponse> Handle(UpdateDiary command, CancellationToken cancellationToken)
    {
        var diary = await db.Diaries.FirstOrDefaultAsync(d => d.Id == command.Id, cancellationToken)
            ?? throw ProblemException.NotFound("Diary not found.");
        diary.Name = command.Name!.Trim();
        diary.ContactEmail = command.ContactEmail!.Trim();
        diary.Active = command.Active!.Value;
        diary.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return DiaryResponse.From(diary);
    }
}

public sealed class ListDiariesHandler(RosterDbContext db) : IQueryHandler<ListDiaries, DiaryList>
{
    public async ValueTask<DiaryList> Handle(ListDiaries query, CancellationToken cancellationToken)
    {
        var diaries = await db.Diaries.AsNoTracking().OrderBy(d => d.Name).ThenBy(d => d.Id).ToListAsync(cancellationToken);
        return new DiaryList(diaries.Select(DiaryResponse.From).ToList());
    }
}

public sealed class GetDiaryHandler(RosterDbContext db) : IQueryHandler<GetDiary, DiaryResponse>
{
    public async ValueTask<DiaryResponse> Handle(GetDiary query, CancellationToken cancellationToken)
    {
        var diary = await db.Diaries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == query.Id, cancellationToken)
            ?? throw ProblemException.NotFound("Diary not found.");
        return DiaryResponse.From(diary);
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
                var diary = await sender.Send(new CreateDiary(body.Name, body.ContactEmail, body.Active), ct);
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
                Results.Ok(await sender.Send(new UpdateDiary(RouteIds.Parse(id, "Diary"), body.Name, body.ContactEmail, body.Active), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("UpdateDiary")
            .WithTags("Setup")
            .Accepts<DiaryInput>("application/json")
            .Produces<DiaryResponse>()
            .ProducesValidationProblem();
    }
}
