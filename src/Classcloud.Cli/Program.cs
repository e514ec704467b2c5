using Classcloud.Cli;

// `classcloud` — talks to a Classcloud server with a personal access token.
return await CliApp.RunAsync(args, Console.Out, Console.Error, CliConfig.DefaultPath(), CancellationToken.None);
