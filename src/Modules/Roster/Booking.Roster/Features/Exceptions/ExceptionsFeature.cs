using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Data;
using Booking.Roster.Domain;
using Booking.Roster.Features.WeeklyRoster;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.Roster.Features.Exceptions;

public sealed record ExceptionBlockResponse(string Start, string End, bool BookableOnline);

public sealed record RosterExceptionResponse(Guid Id, Guid DiaryId, string Date, bool Closed, IReadOnlyList<ExceptionBlockResponse> Blocks)
{
    public static RosterExceptionResponse From(RosterException e) => new(
        e.Id, e.DiaryId, RosterFormats.FormatDate(e.Date), e.Closed,
        e.Blocks.OrderBy(b => b.Start).Select(b => new ExceptionBlockResponse(RosterFormats.FormatTime(b.Start), RosterFormats.FormatTime(b.End), b.BookableOnline)).ToList());
}

public sealed record RosterExceptionList(IReadOnlyList<RosterExceptionResponse> Items);

public sealed record ExceptionInput(string? Date, bool? Closed, IReadOnlyList<BlockInput?>? Blocks);

/// <summary>Closed, or other hours (blocks) on one local date; one exception per diary and date.</summary>
public sealed record CreateRosterException(Guid DiaryId, string? Date, bool? Closed, IReadOnlyList<BlockInput?>? Blocks) : ICommand<RosterExceptionResponse>;

public sealed record ListRosterExceptions(Guid DiaryId) : IQuery<RosterExceptionList>;

public sealed record DeleteRosterException(Guid DiaryId, Guid ExceptionId) : ICommand;

public sealed class CreateRosterExceptionValidator : AbstractValidator<CreateRosterException>
{
    public CreateRosterExceptionValidator()
    {
        RuleFor(x => x.Date).Must(d => RosterFormats.ParseDate(d) is not null).WithMessage("Give the date as YYYY-MM-DD.");
        RuleFor(x => x.Closed).NotNull().WithMessage("Say whether the diary is closed that day.");
        RuleFor(x => x).Custom((command, context) =>
        {
            if (command.Closed == true)
            {
                if (command.Blocks is { Count: > 0 })
                {
                    context.AddFailure(new FluentValidation.Results.ValidationFailure("blocks", "A closed day has no blocks; leave the list empty."));
                }

                return;
            }

            if (command.Closed == false && command.Blocks is { Count: 0 })
            {
                context.AddFailure(new FluentValidation.Results.ValidationFailure("blocks", "Give the day's other hours, or mark it closed."));
                return;
            }

            foreach (var failure in BlockValidation.Check(command.Blocks, weekly: false))
            {
                context.AddFailure(failure);
            }
        });
    }
}

public sealed class CreateRosterExceptionHandler(RosterDbContext db, TimeProvider clock) : ICommandHandler<CreateRosterException, RosterExceptionResponse>
{
    public async ValueTask<RosterExceptionResponse> Handle(CreateRosterException command, CancellationToken cancellationToken)
    {
        await RosterReads.EnsureDiaryAsync(db, command.DiaryId, cancellationToken);
        var date = RosterFormats.ParseDate(command.Date)!.Value;
        if (await db.Exceptions.AnyAsync(e => e.DiaryId == command.DiaryId && e.Date == date, cancellationToken))
        {
            throw ProblemException.Invalid("date", "This diary already has an exception on this date; delete it first.");
        }

        var exception = new RosterException
        {
            Id = Guid.CreateVersion7(),
            DiaryId = command.DiaryId,
            Date = date,
            Closed = command.Closed!.Value,
            Blocks = command.Closed!.Value
                ? []
                : command.Blocks!.Select(b => new ExceptionBlock(RosterFormats.ParseTime(b!.Start)!.Value, RosterFormats.ParseTime(b.End)!.Value, b.BookableOnline ?? true)).ToList(),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Exceptions.Add(exception);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw ProblemException.Invalid("date", "This diary already has an exception on this date; delete it first.");
        }

        return RosterExceptionResponse.From(exception);
    }
}

public sealed class ListRosterExceptionsHandler(RosterDbContext db) : IQueryHandler<ListRosterExceptions, RosterExceptionList>
{
    public async ValueTask<RosterExceptionList> Handle(ListRosterExceptions query, CancellationToken cancellationToken)
    {
        await RosterReads.EnsureDiaryAsync(db, query.DiaryId, cancellationToken);
        var exceptions = await db.Exceptions.AsNoTracking().Where(e => e.DiaryId == query.DiaryId).OrderBy(e => e.Date).ToListAsync(cancellationToken);
        return new RosterExceptionList(exceptions.Select(RosterExceptionResponse.From).ToList());
    }
}

public sealed class DeleteRosterExceptionHandler(RosterDbContext db) : ICommandHandler<DeleteRosterException>
{
    public async ValueTask<Unit> Handle(DeleteRosterException command, CancellationToken cancellationToken)
    {
        var exception = await db.Exceptions.FirstOrDefaultAsync(e => e.Id == command.ExceptionId && e.DiaryId == command.DiaryId, cancellationToken)
            ?? throw ProblemException.NotFound("Exception not found.");
        db.Exceptions.Remove(exception);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}

public static class RosterExceptionsEndpoints
{
    public static void MapRosterExceptions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/admin/diaries/{id}/exceptions", async (string id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListRosterExceptions(RouteIds.Parse(id, "Diary")), ct)))
            .RequireStaff()
            .WithName("ListRosterExceptions")
            .WithTags("Setup")
            .Produces<RosterExceptionList>();

        app.MapPost("/api/v1/admin/diaries/{id}/exceptions", async (string id, ExceptionInput body, ISender sender, CancellationToken ct) =>
            {
                var diaryId = RouteIds.Parse(id, "Diary");
                var created = await sender.Send(new CreateRosterException(diaryId, body.Date, body.Closed, body.Blocks), ct);
                return Results.Created($"/api/v1/admin/diaries/{diaryId}/exceptions/{created.Id}", created);
            })
            .RequireStaff("owner", "admin")
            .WithName("CreateRosterException")
            .WithTags("Setup")
            .Accepts<ExceptionInput>("application/json")
            .Produces<RosterExceptionResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        app.MapDelete("/api/v1/admin/diaries/{id}/exceptions/{exceptionId}", async (string id, string exceptionId, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new DeleteRosterException(RouteIds.Parse(id, "Diary"), RouteIds.Parse(exceptionId, "Exception")), ct);
                return Results.NoContent();
            })
            .RequireStaff("owner", "admin")
            .WithName("DeleteRosterException")
            .WithTags("Setup")
            .Produces(StatusCodes.Status204NoContent);
    }
}
