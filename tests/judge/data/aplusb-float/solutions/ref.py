a, b = map(int, open('input.txt').read().split())
open('output.txt', 'w').write('%.9f\n' % (a / b))
