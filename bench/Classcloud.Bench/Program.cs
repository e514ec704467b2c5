Console.WriteLine("classcloud bench: see bench/README.md");
return 0;
